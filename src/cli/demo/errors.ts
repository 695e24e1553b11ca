/** Errors of the demo command: each says what went wrong and what to do, and maps to an exit code. */

/** Stable codes of demo failures. */
export type DemoErrorCode =
  | 'terraform_missing'
  | 'openssl_missing'
  | 'qemu_img_missing'
  | 'port_busy'
  | 'app_missing'
  | 'not_built'
  | 'synth_failed'
  | 'terraform_failed'
  | 'boot_chain_failed'
  | 'interrupted';

const BRAND = Symbol.for('ovirt-cdktf.DemoError');

/** A demo failure with a message meant for the person at the terminal (no stack trace needed). */
export class DemoError extends Error {
  override readonly name = 'DemoError';
  constructor(
    readonly code: DemoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The process exit code: 130 after Ctrl-C (as shells report SIGINT), 1 otherwise. */
  get exitCode(): number {
    return this.code === 'interrupted' ? 130 : 1;
  }

  /** True when `value` is a DemoError (also across duplicate copies of the package). */
  static is(value: unknown): value is DemoError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
