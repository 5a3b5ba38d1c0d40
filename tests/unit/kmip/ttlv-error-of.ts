// The TtlvError a KMIP JSON input is refused with, for the codec's tests.
import { expect } from 'vitest';
import { fromKmipJson, parseKmipJson, TtlvError } from '../../../main/kmip/ttlv';

function errorOf(run: () => unknown, what: string): TtlvError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TtlvError);
    return error as TtlvError;
  }
  throw new Error(`expected ${what} to throw`);
}

/** The error parseKmipJson refuses `text` with (the test fails if it takes it). */
export function parseError(text: string): TtlvError {
  return errorOf(() => parseKmipJson(text), 'parseKmipJson');
}

/** The error fromKmipJson refuses `json` with. */
export function jsonError(json: unknown): TtlvError {
  return errorOf(() => fromKmipJson(json), 'fromKmipJson');
}
