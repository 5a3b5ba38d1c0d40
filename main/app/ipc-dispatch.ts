// Runs one IPC request: validates it against the contract's schema, calls the channel's handler and
// turns every outcome into an IpcResult. Never throws, and never lets an unexpected error's text
// (which could carry a secret) reach the renderer. Used by main/electron's ipcMain wrapper and by
// the e2e bridge, so both validate exactly alike.
import type { z } from 'zod';
import { platformErrorCode } from '../../common/app-error';
import {
  ipcRequestSchemas,
  type IpcChannel,
  type IpcError,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
} from '../../common/ipc';

export type IpcHandlers = { [C in IpcChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>> };

const ERROR_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

export function isIpcChannel(channel: unknown): channel is IpcChannel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(ipcRequestSchemas, channel);
}

/** Where a request failed the schema, by path and rule only: the offending value is never echoed. */
function describeSchemaIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'request';
    return `${where} (${issue.code.replace(/_/g, ' ')})`;
  });
  return parts.join('; ');
}

/**
 * A typed application error (code + message written for people) becomes an IpcError as is; so does a
 * system error (ENOENT, ENOSPC: its message names the call and path). Anything else is INTERNAL.
 */
export function toIpcError(error: unknown, channel: string): IpcError {
  if (error instanceof Error && platformErrorCode(error) === null) {
    const { code, field } = error as Error & { code?: unknown; field?: unknown };
    if (typeof code === 'string' && ERROR_CODE.test(code) && error.message !== '') {
      return typeof field === 'string' ? { code, message: error.message, field } : { code, message: error.message };
    }
  }
  return {
    code: 'INTERNAL',
    message: `An unexpected error stopped "${channel}". Nothing was changed by the failed step; try again, and report it with the app log if it persists.`,
  };
}

export async function dispatchIpc(handlers: IpcHandlers, channel: unknown, rawRequest: unknown): Promise<IpcResult<unknown>> {
  if (!isIpcChannel(channel)) {
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `Unknown IPC channel "${String(channel).slice(0, 64)}".` } };
  }
  const parsed = ipcRequestSchemas[channel].safeParse(rawRequest ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'INVALID_REQUEST', message: `Request to "${channel}" is malformed: ${describeSchemaIssues(parsed.error.issues)}.` },
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const ipcError = toIpcError(error, channel);
    if (ipcError.code === 'INTERNAL') {
      // The stack's first line repeats the message, which may quote a secret: log frames only.
      const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 6).join('\n') : '';
      console.error(`kmip-console: unexpected ${error instanceof Error ? error.name : typeof error} in ${channel}\n${frames}`);
    }
    return { ok: false, error: ipcError };
  }
}
