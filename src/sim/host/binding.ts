// A serialport binding (the interface of @serialport/bindings-interface) that opens virtual boards:
// `new SerialPortStream({ binding: VirtualBinding, path: 'sim:kitchen', baudRate: 115200 })`.
// It behaves like a tty on a USB-UART: DTR/RTS drive the board's reset circuit, the baud rate is the
// host UART's, and an unplugged board makes the port vanish.
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-interface';
import { type BoardConnection, type HostLink } from '../board/board';
import { getVirtualBoard, listVirtualBoards, SIM_PREFIX, virtualBoardName } from './registry';

export const VIRTUAL_MANUFACTURER = 'virtual ESP8266';

interface PendingRead {
  buffer: Buffer;
  offset: number;
  length: number;
  resolve: (result: { buffer: Buffer; bytesRead: number }) => void;
  reject: (error: Error) => void;
}

function canceledError(message: string): Error {
  return Object.assign(new Error(message), { canceled: true });
}

export class VirtualPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;
  private baudRate: number;
  private received: Buffer[] = [];
  private pendingRead: PendingRead | undefined;
  private failure: Error | undefined;
  private readonly connection: BoardConnection;
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(options: OpenOptions) {
    this.openOptions = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    };
    this.baudRate = options.baudRate;
    const board = getVirtualBoard(virtualBoardName(options.path));
    const currentBaud = () => this.baudRate;
    const link: HostLink = {
      get baud() {
        return currentBaud();
      },
      receive: (bytes) => this.receive(bytes),
      lost: (error) => this.lose(error),
    };
    this.connection = board.connect(link);
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    this.isOpen = false;
    this.connection.disconnect(this.openOptions.hupcl);
    this.received = [];
    const pending = this.pendingRead;
    this.pendingRead = undefined;
    pending?.reject(canceledError('Port is closed'));
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.isOpen) return Promise.reject(canceledError('Port is not open'));
    if (this.pendingRead) return Promise.reject(new Error('a read is already pending'));
    return new Promise((resolve, reject) => {
      this.pendingRead = { buffer, offset, length, resolve, reject };
      this.serveRead();
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw canceledError('Port is not open');
    if (this.failure) throw this.failure;
    this.lastWrite = this.connection.write(new Uint8Array(buffer));
    return this.lastWrite;
  }

  async update(options: UpdateOptions): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    if (!Number.isInteger(options.baudRate) || options.baudRate <= 0) throw new TypeError('"baudRate" must be a positive integer');
    this.baudRate = options.baudRate;
  }

  async set(options: SetOptions): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    if (this.failure) throw this.failure;
    // Flags not given take the OS defaults, as the interface specifies (DTR and RTS asserted).
    this.connection.setControlLines({ dtr: options.dtr ?? true, rts: options.rts ?? true });
  }

  async get(): Promise<PortStatus> {
    if (!this.isOpen) throw new Error('Port is not open');
    return { cts: false, dsr: false, dcd: false };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    if (!this.isOpen) throw new Error('Port is not open');
    return { baudRate: this.baudRate };
  }

  async flush(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    this.received = [];
  }

  async drain(): Promise<void> {
    if (!this.isOpen) throw new Error('Port is not open');
    await this.lastWrite;
  }

  private receive(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    this.received.push(Buffer.from(bytes));
    this.serveRead();
  }

  private lose(error: Error): void {
    // A vanished tty fails the next read with an error that is not a cancellation, which makes
    // @serialport/stream report a disconnect and close.
    this.failure = Object.assign(error, { disconnect: true });
    this.serveRead();
  }

  private serveRead(): void {
    const pending = this.pendingRead;
    if (!pending) return;
    if (this.received.length === 0) {
      if (this.failure) {
        this.pendingRead = undefined;
        pending.reject(this.failure);
      }
      return;
    }
    this.pendingRead = undefined;
    let bytesRead = 0;
    while (this.received.length > 0 && bytesRead < pending.length) {
      const head = this.received[0];
      const take = Math.min(head.length, pending.length - bytesRead);
      head.copy(pending.buffer, pending.offset + bytesRead, 0, take);
      bytesRead += take;
      if (take === head.length) this.received.shift();
      else this.received[0] = head.subarray(take);
    }
    pending.resolve({ buffer: pending.buffer, bytesRead });
  }
}

export const VirtualBinding: BindingInterface<VirtualPort> = {
  async list(): Promise<PortInfo[]> {
    return listVirtualBoards()
      .filter((board) => board.plugged)
      .map((board) => ({
        path: SIM_PREFIX + board.name,
        manufacturer: VIRTUAL_MANUFACTURER,
        serialNumber: board.macAddress.replace(/:/g, ''),
        pnpId: undefined,
        locationId: undefined,
        productId: undefined,
        vendorId: undefined,
      }));
  },
  async open(options: OpenOptions): Promise<VirtualPort> {
    if (!options || typeof options.path !== 'string') throw new TypeError('"path" is not a valid port');
    if (!Number.isInteger(options.baudRate) || options.baudRate <= 0) throw new TypeError('"baudRate" must be a positive integer');
    return new VirtualPort(options);
  },
};
