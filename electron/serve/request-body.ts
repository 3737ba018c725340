import type http from 'node:http';

/**
 * The body of an API call, read up to a limit.
 *
 *   const body = await readBody(req, limits.maxBodyBytes);
 *   if (body.kind === 'too_large') → answer 413 with `Connection: close` (see server.ts)
 *
 * A body over the limit is never read to its end: a declared `Content-Length` over the limit is
 * refused before a byte is read, and a streamed (chunked) one as soon as it passes the limit. Reading
 * stops there (the request is paused), so the caller's answer goes out at once and closing the
 * connection afterwards throws the rest away — the client cannot keep the server reading.
 */
export type Body = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'aborted' };

export function readBody(req: http.IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (body: Body) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      settle({ kind: 'too_large' });
    };
    req.on('data', onData);
    req.on('end', () => settle({ kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }));
    // The client went away mid-body: nothing to answer, but the promise must not hang.
    req.on('error', () => settle({ kind: 'aborted' }));
    req.on('close', () => settle({ kind: 'aborted' }));
  });
}
