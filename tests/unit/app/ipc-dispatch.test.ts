import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type IpcChannel } from '../../../common/ipc';
import { dispatchIpc, toIpcError, type IpcHandlers } from '../../../main/app/ipc-dispatch';

function handlersCalling(record: { channel?: string; request?: unknown }, answer: () => Promise<unknown>): IpcHandlers {
  const entries = IPC_CHANNELS.map((channel: IpcChannel) => [
    channel,
    async (request: unknown) => {
      record.channel = channel;
      record.request = request;
      return answer();
    },
  ]);
  return Object.fromEntries(entries) as IpcHandlers;
}

class TypedError extends Error {
  constructor(readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

describe('dispatchIpc', () => {
  it('passes a valid request to its handler and wraps the value', async () => {
    const seen: { channel?: string; request?: unknown } = {};
    const result = await dispatchIpc(handlersCalling(seen, async () => 'value'), 'settings:saveField', { id: 'port', value: '5696' });
    expect(result).toEqual({ ok: true, value: 'value' });
    expect(seen).toEqual({ channel: 'settings:saveField', request: { id: 'port', value: '5696' } });
  });

  it('refuses unknown channels and malformed requests without calling a handler or echoing values', async () => {
    const seen: { channel?: string } = {};
    const handlers = handlersCalling(seen, async () => 'value');
    const unknown = await dispatchIpc(handlers, 'fs:readFile', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const inherited = await dispatchIpc(handlers, 'constructor', {});
    expect(inherited).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const badField = await dispatchIpc(handlers, 'settings:saveField', { id: 'nope', value: 'hunter2-secret' });
    expect(badField).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(JSON.stringify(badField)).not.toContain('hunter2-secret');
    const extraKey = await dispatchIpc(handlers, 'settings:revert', { sneaky: true });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const tooLong = await dispatchIpc(handlers, 'settings:loadFile', { slot: 'clientCert', format: 'pem', password: 'x'.repeat(2000) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(seen.channel).toBeUndefined();
  });

  it('passes typed errors through with their field', async () => {
    const result = await dispatchIpc(
      handlersCalling({}, async () => {
        throw new TypedError('VALIDATION_FAILED', 'Port must be a whole number from 1 to 65535.', 'port');
      }),
      'settings:saveField',
      { id: 'port', value: 70000 },
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: 'Port must be a whole number from 1 to 65535.', field: 'port' },
    });
  });

  it('hides the text of unexpected errors, which could carry a secret', async () => {
    const result = await dispatchIpc(
      handlersCalling({}, async () => {
        throw new Error('bad decrypt with passphrase hunter2');
      }),
      'settings:get',
      {},
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(result).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(toIpcError('a string', 'x').code).toBe('INTERNAL');
    expect(toIpcError(Object.assign(new Error('m'), { code: 'lower-case' }), 'x').code).toBe('INTERNAL');
  });

  it("hides a Node.js error's message, which quotes the value it refused", () => {
    const refused = (() => {
      try {
        Buffer.from('x', 'hunter2-as-encoding' as BufferEncoding);
      } catch (error) {
        return error;
      }
      throw new Error('Buffer.from took an unknown encoding');
    })();
    expect(String(refused)).toContain('hunter2'); // what would have reached the renderer
    const ipcError = toIpcError(refused, 'settings:get');
    expect(ipcError.code).toBe('INTERNAL');
    expect(JSON.stringify(ipcError)).not.toContain('hunter2');
  });

  it('passes a system error on with its code (it names the call and the path)', () => {
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open '/nowhere'"), { code: 'ENOENT' });
    expect(toIpcError(missing, 'store:list')).toEqual({ code: 'ENOENT', message: "ENOENT: no such file or directory, open '/nowhere'" });
  });
});
