import { z } from 'zod';
import { TrainerEvent } from './trainer-protocol';

/**
 * The JSON Schema of the trainer's events, generated from the zod definitions (`TrainerEvent`), so
 * the two cannot drift: docker/protocol/events.schema.json is this text, written by
 * `node scripts/gen-events-schema.mjs`, and a unit test (tests/unit/contract/events-schema.test.ts)
 * fails when the checked-in copy differs. The trainer's Python tests validate every event against it.
 *
 *   eventsJsonSchemaText()  // the file's exact contents
 *
 * Draft-07 because the trainer's tests use jsonschema's Draft7Validator. `io: 'input'` describes what
 * `TrainerEvent` accepts (the trainer's output is the app's input): plain `z.object`s then allow extra
 * fields as the parser does (it strips them), like the `looseObject`s that keep them.
 */
export function eventsJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(TrainerEvent, { target: 'draft-7', io: 'input' });
  return {
    $schema,
    $id: 'https://deit-studio.local/protocol/events.v1.schema.json',
    title: 'DeiT Studio trainer event, protocol version 1',
    description:
      "One JSON object per line on the trainer's stdout and in metrics.jsonl. Generated from " +
      'electron/contract/trainer-protocol.ts (node scripts/gen-events-schema.mjs); do not edit by hand. ' +
      'Extra fields are allowed (newer trainers may add some); readers keep unknown types as unknown, but ' +
      'a v1 trainer only writes the types below. See docs/trainer-protocol.md.',
    ...rest,
  };
}

/** The exact text of docker/protocol/events.schema.json. */
export function eventsJsonSchemaText(): string {
  return `${JSON.stringify(eventsJsonSchema(), null, 2)}\n`;
}
