/** Command-line options of `npm run serve`. */
export interface ServeCliOptions {
  host: string;
  port: number;
  dataDir: string | undefined;
  token: string | undefined;
  /** Write the address with the token here (0600) instead of printing it (token-file.ts). */
  tokenFile: string | undefined;
  help: boolean;
}

export const SERVE_USAGE = `Usage: npm run serve -- [--port 8765] [--host 127.0.0.1] [--data-dir DIR] [--token-file FILE]

Serves DeiT Studio in a browser, for a GPU machine without a display. Open the printed address
on this machine, or from your laptop through an SSH tunnel:
  ssh -L 8765:127.0.0.1:8765 you@gpu-server     then open the printed address locally.

  --port N        port to listen on (default 8765; 0 picks a free one)
  --host ADDR     address to bind (default 127.0.0.1). Anything else exposes DeiT Studio to
                  your network: anyone with the token can read folders and use the GPU.
  --data-dir DIR  where runs, weights and caches are kept (default: your data folder)
  --token-file FILE
                  write the address with the access token to FILE (readable only by you) and
                  print the address without it: for services whose output ends up in logs
  The token is random for each start. DEIT_STUDIO_TOKEN fixes it (for automation only).`;

/** Parses argv; throws an Error with a plain message for bad input. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeCliOptions {
  const options: ServeCliOptions = {
    host: '127.0.0.1',
    port: 8765,
    dataDir: undefined,
    token: env.DEIT_STUDIO_TOKEN,
    tokenFile: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new Error('--port must be a number from 0 to 65535.');
        options.port = port;
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--data-dir':
        options.dataDir = value();
        break;
      case '--token-file':
        options.tokenFile = value();
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new Error(`Unknown option ${arg}.`);
    }
  }
  if (options.token !== undefined && options.token.length < 16)
    throw new Error('DEIT_STUDIO_TOKEN must be at least 16 characters.');
  return options;
}

/** True when the address is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
