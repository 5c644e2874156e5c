import { EventEmitter } from 'events';
import { BridgeClient, HelloEvent } from './bridge-client';
import { isBridgeHello } from './bridge-protocol';
import { ResolutionReport } from './resolution-report';

/**
 * Keeps the bridge's sensors at one resolution. The firmware forgets `res` when it restarts (at
 * power-on, after a flash, after a reset), and every `hello` line, the one it sends at boot and the
 * answer a reconnect asks for, says which resolution it holds: whenever that is not ours, `res` goes
 * out again. The command queues before any read a reconnect lets through, and the firmware then waits
 * for the conversion time of the new resolution.
 *
 * Events: 'report' (ResolutionReport) when sensors refused the setting.
 */
export class BridgeResolution extends EventEmitter {
  private readonly onHello = (hello: HelloEvent) => {
    if (isBridgeHello(hello) && hello.resolution !== this.bits) this.apply();
  };

  constructor(
    private readonly client: BridgeClient,
    readonly bits: number,
    alreadyConnected: boolean,
  ) {
    super();
    client.on('hello', this.onHello);
    // A board another reader already talks to says no hello of its own: set it now.
    if (alreadyConnected) this.apply();
  }

  stop(): void {
    this.client.off('hello', this.onHello);
  }

  private apply(): void {
    this.client.setResolution(this.bits).then(
      (refused) => {
        if (refused.length === 0) return;
        const idents = refused.map((o) => (o.ok ? o.reading.ident : o.error.ident));
        const detail = refused.map((o) => (o.ok ? '' : o.error.message)).join('; ');
        this.emit('report', { kind: 'failed', bits: this.bits, idents, detail } satisfies ResolutionReport);
      },
      // The connection went away meanwhile; its next hello tries again.
      () => undefined,
    );
  }
}
