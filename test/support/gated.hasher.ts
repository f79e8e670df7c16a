import { ScryptPasswordHasher } from 'nestjs-multi-token-auth';

/**
 * A scrypt hasher whose `verify` calls all wait at a gate until the spec opens it: the password
 * checks that are running stay running, so a spec can fill the password-check queue behind them
 * and look at what it admits, without depending on how fast the machine hashes.
 */
export class GatedHasher extends ScryptPasswordHasher {
  private opened = false;
  private readonly gate: Promise<void>;
  private openGate!: () => void;
  /** `verify` calls that have reached the gate (held while it is shut). */
  entered = 0;

  constructor() {
    super(2 ** 10);
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  /** Lets every held and later `verify` through. */
  open(): void {
    this.opened = true;
    this.openGate();
  }

  override async verify(hash: string, password: string): Promise<boolean> {
    this.entered++;
    if (!this.opened) await this.gate;
    return super.verify(hash, password);
  }
}
