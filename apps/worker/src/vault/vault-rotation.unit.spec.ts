import { loadConfig } from '@relais/config';
import { Rotation, SubjectVault } from '@relais/vault';
import { VaultRotation } from './vault-rotation.service';

describe('VaultRotation', () => {
  const rotation: Rotation = {
    from: 3,
    to: 4,
    rewrapped: 120,
    unreadable: 0,
    destroyed: [3],
    durationMs: 40,
  };

  it.each([
    [undefined, 24 * 3_600_000],
    ['6', 6 * 3_600_000],
  ])('asks the vault for a rotation after RELAIS_VAULT_ROTATION_HOURS=%s', async (hours, ms) => {
    const intervals: number[] = [];
    const vault = {
      rotateIfDue: (intervalMs: number) => {
        intervals.push(intervalMs);
        return Promise.resolve(rotation);
      },
    } as unknown as SubjectVault;
    const config = loadConfig(hours === undefined ? {} : { RELAIS_VAULT_ROTATION_HOURS: hours });

    expect(await new VaultRotation(vault, config).rotateIfDue()).toBe(rotation);
    expect(intervals).toEqual([ms]);
  });
});
