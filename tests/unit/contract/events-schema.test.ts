import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrainerEvent } from '../../../electron/contract';
import { eventsJsonSchema, eventsJsonSchemaText } from '../../../electron/contract/events-json-schema';
import { fixtureLines, fixtureNames } from '../../helpers/runs-fixtures';

// docker/protocol/events.schema.json is generated from the zod definitions; the trainer's Python
// tests (tests/trainer/conftest.py, Draft7Validator) validate every event they produce against it.
const FILE = path.resolve(__dirname, '../../../docker/protocol/events.schema.json');
const validate = new Ajv({ allErrors: true }).compile(eventsJsonSchema());
const events = fixtureNames().flatMap((name) =>
  fixtureLines(name).map((line, i) => [`${name}:${i + 1}`, JSON.parse(line) as Record<string, unknown>] as const),
);
type Json = Record<string, unknown>;
const DROP = Symbol('drop');
/** A copy of the first fixture event of `type`, with the dotted `field` set to `value` (or dropped). */
function changed(type: string, field: string, value: unknown): Json {
  const event = structuredClone(events.find(([, e]) => e.type === type)![1]);
  const keys = field.split('.');
  let at = event;
  for (const key of keys.slice(0, -1)) at = at[key] as Json;
  if (value === DROP) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return event;
}

describe('docker/protocol/events.schema.json', () => {
  it('is the JSON Schema generated from electron/contract/trainer-protocol.ts', () => {
    expect(
      fs.readFileSync(FILE, 'utf8'),
      'docker/protocol/events.schema.json is out of date: run `node scripts/gen-events-schema.mjs`',
    ).toBe(eventsJsonSchemaText());
  });

  it('is draft-07, the draft the trainer tests validate with', () => {
    expect(eventsJsonSchema().$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('accepts every recorded fixture event, as the zod definitions do', () => {
    expect(events.length).toBeGreaterThan(50);
    for (const [where, event] of events) {
      expect(validate(event) ? [] : validate.errors, where).toEqual([]);
      expect(TrainerEvent.safeParse(event).success, where).toBe(true);
    }
  });

  it('allows extra fields (newer trainers may add some) and leaves optional fields optional', () => {
    expect(validate(changed('run_started', 'added_later', { anything: 1 }))).toBe(true);
    expect(validate(changed('run_started', 'dataset.added_later', true))).toBe(true);
    expect(validate(changed('run_started', 'recipe', DROP))).toBe(true);
    expect(validate(changed('run_started', 'batch', DROP))).toBe(true);
    expect(validate(changed('files_skipped', 'files', [{ path: 'a.jpg', reason: 'unreadable', size: 3 }]))).toBe(true);
  });

  // What the hand-written schema checked before it was generated, including fields the app never reads.
  it.each([
    ['run_started', 'type', 'restarted'],
    ['run_started', 'v', 2],
    ['run_started', 'seq', -1],
    ['run_started', 'dataset.classes', DROP],
    ['run_started', 'epochs', 2.5],
    ['run_started', 'recipe', { augment: 'extreme' }],
    ['run_started', 'recipe', { weights: { repo: 'no kind' } }],
    ['run_started', 'dataset.train_per_class', ['3']],
    ['run_started', 'preprocessing', { interpolation: 'nearest' }],
    ['run_started', 'image', 7],
    ['batch_size', 'batch_size', 0],
    ['batch_size', 'limit', 'gpu'],
    ['progress', 'eta_s', 'soon'],
    ['epoch', 'ema', 'yes'],
    ['epoch', 'per_class_acc', { cat: '0.5' }],
    ['checkpoint', 'global_step', 1.5],
    ['files_skipped', 'files', [{ path: 'a.jpg' }]],
    ['error', 'fix', DROP],
  ])('rejects a %s event whose %s is %o', (type, field, value) => {
    expect(validate(changed(type, field, value))).toBe(false);
  });
});
