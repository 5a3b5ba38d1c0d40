// One KMIP connection that can be re-opened, for steps that must reconnect after an unknown outcome.
import { KmipClient, type KmipClientOptions } from '../kmip';

export class KmipSession {
  private current: KmipClient | undefined;

  constructor(readonly options: KmipClientOptions) {}

  async client(): Promise<KmipClient> {
    this.current ??= await KmipClient.connect(this.options);
    return this.current;
  }

  /** Drops the current connection (whatever its state) and opens a new one. */
  async reconnect(): Promise<KmipClient> {
    await this.close();
    return this.client();
  }

  async close(): Promise<void> {
    const client = this.current;
    this.current = undefined;
    await client?.close().catch(() => undefined);
  }
}
