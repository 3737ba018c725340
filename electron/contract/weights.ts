import { z } from 'zod';
import { call } from './define';
import { ModelId } from './run-config';

/** A proxy address: http(s)://[user:password@]host[:port][/] (what Docker, pip and requests accept). */
const ProxyUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(
    /^$|^https?:\/\/[^\s/?#]+\/?$/,
    'Write the proxy as http://host:port (user:password@ before the host if needed).',
  );

/** A Hugging Face hub mirror: an https (or http) address without a path's trailing slash. */
const EndpointUrl = z
  .string()
  .trim()
  .max(2000)
  .regex(/^$|^https?:\/\/[^\s?#]+[^\s?#/]$/, 'Write the mirror as an address like https://hf-mirror.example.com.');

/** NO_PROXY: host names, domains (.corp.example) and addresses, comma-separated. */
const NoProxy = z
  .string()
  .trim()
  .max(4000)
  .regex(/^[A-Za-z0-9.*:_\-/[\],\s]*$/, 'List host names or addresses separated by commas.');

/**
 * The app's own network settings (saved in `<data folder>/network.json`); null = take it from the
 * environment of the app (HTTPS_PROXY and the others), an empty text = none, even if the environment has one.
 */
export const NetworkSettings = z.strictObject({
  httpsProxy: ProxyUrl.nullable().default(null),
  httpProxy: ProxyUrl.nullable().default(null),
  noProxy: NoProxy.nullable().default(null),
  /** A Hugging Face hub mirror (HF_ENDPOINT) for the weights download. */
  hfEndpoint: EndpointUrl.nullable().default(null),
});
export type NetworkSettings = z.infer<typeof NetworkSettings>;

/** One setting as the containers get it, and where it came from. */
export const EffectiveSetting = z.object({
  value: z.string().nullable(),
  source: z.enum(['settings', 'environment', 'none']),
});

/** What the image build and the weights download use. */
export const NetworkInfo = z.object({
  saved: NetworkSettings,
  effective: z.object({
    httpsProxy: EffectiveSetting,
    httpProxy: EffectiveSetting,
    noProxy: EffectiveSetting,
    hfEndpoint: EffectiveSetting,
  }),
  /** Certificates trusted beyond the public ones (system folders, NODE_EXTRA_CA_CERTS), passed to both. */
  extraCertificates: z.number().int(),
  /** Where the settings are saved. */
  settingsFile: z.string(),
  /** Problems with the settings in plain words (e.g. a proxy on this computer's own address). */
  warnings: z.array(z.string()),
});
export type NetworkInfo = z.infer<typeof NetworkInfo>;

/** A weights file the user imported for a model (from its source.json). */
export const ImportedWeights = z.object({
  modelId: ModelId,
  /** The file's name as the user chose it. */
  file: z.string(),
  sha256: z.string(),
  bytes: z.number(),
  format: z.enum(['safetensors', 'pytorch']),
  importedAt: z.string(),
});
export type ImportedWeights = z.infer<typeof ImportedWeights>;

/** Which starting weights a model has on this machine; imported ones are used first. */
export const WeightsStatus = z.object({
  modelId: ModelId,
  imported: ImportedWeights.nullable(),
  /** The hub's weights are in the weights folder (no download needed). */
  downloaded: z.boolean(),
});
export type WeightsStatus = z.infer<typeof WeightsStatus>;

/** Whether the pretrained weights' download can reach its first hop (the proxy, or the hub). */
export const HubReach = z.object({
  reachable: z.boolean(),
  /** host:port tried: the HTTPS proxy, the Hugging Face mirror, or huggingface.co. */
  target: z.string(),
  /** Why not, in words. */
  why: z.string().optional(),
});
export type HubReach = z.infer<typeof HubReach>;

/** The extensions `weights.import` accepts. */
export const WEIGHTS_FILE_EXTENSIONS = ['safetensors', 'pth', 'pt', 'bin'] as const;

const weightsFile = z
  .string()
  .min(1)
  .max(4096)
  .refine((file) => new RegExp(`\\.(${WEIGHTS_FILE_EXTENSIONS.join('|')})$`, 'i').test(file.trim()), {
    message: 'Choose a .safetensors or .pth weights file.',
  });

export const weightsCalls = {
  'weights.status': call(
    z.object({ modelId: ModelId }),
    WeightsStatus,
    'Whether a model has imported or downloaded starting weights on this machine.',
  ),
  'weights.import': call(
    z.object({ modelId: ModelId, file: weightsFile }),
    ImportedWeights,
    "Checks a .safetensors/.pth file against the model's backbone in a locked-down container (no network, file read-only) and stores it; runs of that model start from it.",
  ),
  'weights.removeImported': call(
    z.object({ modelId: ModelId, confirm: z.literal(true) }),
    z.object({ removed: z.boolean() }),
    "Forgets a model's imported weights (the user's own file is untouched); runs use the hub's weights again.",
  ),
  'weights.hubReachable': call(
    z.object({}),
    HubReach,
    'A quick check (one TCP connection, a few seconds at most) that the weights download could reach the proxy or the hub; offline, runs train from scratch.',
  ),
  'network.get': call(
    z.object({}),
    NetworkInfo,
    'Proxy, mirror and certificate settings the image build and the weights download use.',
  ),
  'network.set': call(
    z.object({ settings: NetworkSettings }),
    NetworkInfo,
    "Saves the app's proxy and mirror settings (null: from the environment).",
  ),
};
