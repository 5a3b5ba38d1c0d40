// One KMIP connection that can be re-opened (when Auto-Reconnect allows), for steps that must
// reconnect after an unknown outcome.
// Once closed (the run ended, or the operator canceled it) it opens nothing more: work that was
// still in flight when a run was canceled must not open connections nobody closes.
import { KmipClient, KmipConnection, TransportError, type KmipClientOptions } from '../kmip';

export class KmipSession {
  private current: KmipClient | undefined;
  /** the connection being opened (TLS handshake, negotiation), so that close() can end it too */
  private opening: KmipConnection | undefined;
  private ended = false;

  /** `cancel` closes the session when it fires. */
  constructor(
    readonly options: KmipClientOptions,
    cancel?: AbortSignal,
  ) {
    cancel?.addEventListener('abort', () => void this.close(), { once: true });
  }

  async client(): Promise<KmipClient> {
    this.assertOpen();
    if (!this.current) {
      const connection = new KmipConnection(this.options);
      this.opening = connection;
      let started: KmipClient;
      try {
        started = await KmipClient.start(connection, this.options);
      } finally {
        this.opening = undefined;
      }
      if (this.ended) {
        await started.close().catch(() => undefined); // closed while it was being opened
        this.assertOpen();
      }
      this.current = started;
    }
    return this.current;
  }

  /**
   * Drops the current connection (whatever its state) and opens a new one, to find out what a request
   * that `dropped` left with its outcome unknown did. With Auto-Reconnect off nothing is opened and
   * `dropped` is thrown: the transport itself re-opens nothing then, and neither may a run.
   */
  async reconnect(dropped: unknown): Promise<KmipClient> {
    if (!this.options.autoReconnect) throw dropped;
    await this.drop();
    return this.client();
  }

  /** Closes the connection, or ends the one being opened; the session opens nothing after this. */
  async close(): Promise<void> {
    this.ended = true;
    await Promise.all([this.opening?.close(), this.drop()]);
  }

  private async drop(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    await client?.close().catch(() => undefined);
  }

  private assertOpen(): void {
    if (this.ended) throw new TransportError('CONNECTION_CLOSED', 'The connection to the key server was closed by this client: the run has ended.');
  }
}
