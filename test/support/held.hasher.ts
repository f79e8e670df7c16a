import { ScryptPasswordHasher } from 'nestjs-multi-token-auth';

/**
 * A scrypt hasher whose next `verify` can be held after it has computed its answer: the slow part of
 * a login, stretched on purpose, so a spec can run a password change or a logout-all inside it and
 * then let the login finish. Deterministic, where racing real requests only usually hits the window.
 */
export class HeldHasher extends ScryptPasswordHasher {
  private hold?: { entered: () => void; released: Promise<void> };

  constructor() {
    super(2 ** 10);
  }

  /** Holds the next `verify` call; `entered` resolves once it is held, `release()` lets it answer. */
  holdNextVerify(): { entered: Promise<void>; release: () => void } {
    let entered!: () => void;
    let release!: () => void;
    const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.hold = { entered, released };
    return { entered: enteredPromise, release };
  }

  override async verify(hash: string, password: string): Promise<boolean> {
    const result = await super.verify(hash, password);
    const hold = this.hold;
    if (hold) {
      this.hold = undefined;
      hold.entered();
      await hold.released;
    }
    return result;
  }
}
