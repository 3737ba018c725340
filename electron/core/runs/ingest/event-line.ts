import { PROTOCOL_VERSION, TrainerEvent } from '../../../contract';

/** Something about the event stream the user may want to know (shown with the run's warnings). */
export interface StreamWarning {
  code: 'stream_garbage' | 'stream_unknown_event' | 'stream_invalid_event' | 'stream_newer_version';
  message: string;
}

/** What one line of metrics.jsonl turned out to be. */
export type ParsedLine =
  { kind: 'event'; event: TrainerEvent } | { kind: 'blank' } | { kind: 'ignored'; warning: StreamWarning };

const KNOWN_TYPES = new Set<string>(TrainerEvent.options.map((option) => option.shape.type.value));

/**
 * Parses one line of the trainer's event stream (protocol v1, contract/trainer-protocol.ts).
 * Never throws: garbage, unknown event types, invalid fields and newer protocol versions come back
 * as warnings so that one bad line cannot stop a run's dashboard.
 */
export function parseEventLine(line: string): ParsedLine {
  const text = line.trim();
  if (text === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return ignored('stream_garbage', `A line of the trainer's output is not an event: ${preview(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ignored('stream_garbage', `A line of the trainer's output is not an event: ${preview(text)}`);
  }
  const record = value as Record<string, unknown>;
  if (typeof record.v === 'number' && record.v > PROTOCOL_VERSION) {
    return ignored(
      'stream_newer_version',
      `The trainer speaks a newer event format (v${record.v}) than this app (v${PROTOCOL_VERSION}); update DeiT Studio.`,
    );
  }
  if (typeof record.type !== 'string' || !KNOWN_TYPES.has(record.type)) {
    return ignored('stream_unknown_event', `Ignored a trainer event of unknown type "${String(record.type)}".`);
  }
  const parsed = TrainerEvent.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'event';
    return ignored(
      'stream_invalid_event',
      `Ignored an invalid "${record.type}" event from the trainer (${where}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return { kind: 'event', event: parsed.data };
}

function ignored(code: StreamWarning['code'], message: string): ParsedLine {
  return { kind: 'ignored', warning: { code, message } };
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
