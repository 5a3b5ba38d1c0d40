// Every operation of the message layer against the real PyKMIP server, at each protocol version.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CryptographicAlgorithm,
  KeyFormatType,
  KmipClient,
  KmipOperationError,
  KmipVersionError,
  ObjectType,
  Operation,
  State,
  type KmipVersion,
} from '../../../main/kmip';
import { describeWithServices } from '../../support/services';
import { clientOptions, uniqueName } from './kmip-client-options';

const VERSIONS: KmipVersion[] = ['1.0', '1.2', '1.4', '2.0'];

describeWithServices('KMIP operations against PyKMIP', () => {
  describe.each(VERSIONS)('KMIP %s', (version) => {
    let client: KmipClient;
    const atLeast13 = version !== '1.0' && version !== '1.2';

    beforeAll(async () => {
      client = await KmipClient.connect(clientOptions({ protocol: version }));
    });
    afterAll(async () => {
      await client?.close();
    });

    it('uses exactly the configured version', () => {
      expect(client.version).toBe(version);
    });

    it('creates a named AES-256 key, activates, revokes and destroys it', async () => {
      const name = uniqueName(`create-${version}`);
      const { uniqueIdentifier } = await client.createAesKey({ length: 256, name });

      const key = await client.get(uniqueIdentifier);
      expect(key).toMatchObject({
        uniqueIdentifier,
        objectType: ObjectType.SymmetricKey,
        cryptographicAlgorithm: CryptographicAlgorithm.AES,
        cryptographicLength: 256,
      });
      expect(key.keyBytes).toHaveLength(32);

      const before = await client.getAttributes(uniqueIdentifier, ['State', 'Cryptographic Length', 'Name']);
      expect(before.attributes.State).toEqual([State.PreActive]);
      expect(before.attributes['Cryptographic Length']).toEqual([256]);
      expect(before.attributes.Name).toEqual([{ NameValue: name, NameType: 1 }]);

      await client.activate(uniqueIdentifier);
      expect((await client.getAttributes(uniqueIdentifier, ['State'])).attributes.State).toEqual([State.Active]);

      const refused = await client.destroy(uniqueIdentifier).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(KmipOperationError);
      expect(refused).toMatchObject({ operation: 'Destroy', resultReason: 'PermissionDenied' });
      expect((refused as Error).message).toMatch(/revoked first/);

      await client.revoke(uniqueIdentifier, 'CessationOfOperation', { message: 'integration test' });
      expect((await client.getAttributes(uniqueIdentifier, ['State'])).attributes.State).toEqual([State.Deactivated]);
      await client.destroy(uniqueIdentifier);
      await expect(client.get(uniqueIdentifier)).rejects.toMatchObject({ resultReason: 'ItemNotFound' });
    });

    it('revokes for a key compromise with its occurrence date', async () => {
      const { uniqueIdentifier } = await client.createAesKey({ length: 128 });
      await client.activate(uniqueIdentifier);
      await client.revoke(uniqueIdentifier, 'KeyCompromise', { compromiseOccurrenceDate: new Date(Date.now() - 3_600_000) });
      expect((await client.getAttributes(uniqueIdentifier, ['State'])).attributes.State).toEqual([State.Compromised]);
      await client.destroy(uniqueIdentifier);
    });

    it('registers a symmetric key and gets back the same bytes', async () => {
      const keyBytes = randomBytes(32);
      const name = uniqueName(`register-key-${version}`);
      const { uniqueIdentifier } = await client.registerSymmetricKey({ key: keyBytes, name });
      const key = await client.get(uniqueIdentifier);
      expect(Buffer.from(key.keyBytes).equals(keyBytes)).toBe(true);
      expect(key).toMatchObject({ objectType: ObjectType.SymmetricKey, cryptographicAlgorithm: CryptographicAlgorithm.AES, cryptographicLength: 256 });
      expect((await client.locate({ name })).uniqueIdentifiers).toEqual([uniqueIdentifier]);
    });

    it('gets a key in the Key Format Type asked for, or reports the format as unsupported', async () => {
      const keyBytes = randomBytes(16);
      const { uniqueIdentifier } = await client.registerSymmetricKey({ key: keyBytes });
      const raw = await client.get(uniqueIdentifier, { keyFormatType: KeyFormatType.Raw });
      expect(raw.keyFormatType).toBe(KeyFormatType.Raw);
      expect(Buffer.from(raw.keyBytes).equals(keyBytes)).toBe(true);
      // PyKMIP stores Raw keys and converts to nothing else.
      await expect(client.get(uniqueIdentifier, { keyFormatType: KeyFormatType.TransparentSymmetricKey })).rejects.toMatchObject({
        operation: 'Get',
        resultReason: 'KeyFormatTypeNotSupported',
      });
    });

    it('registers Secret Data and gets back the same bytes', async () => {
      const data = randomBytes(48);
      const { uniqueIdentifier } = await client.registerSecretData({ data, name: uniqueName(`secret-${version}`) });
      const secret = await client.get(uniqueIdentifier);
      expect(Buffer.from(secret.keyBytes).equals(data)).toBe(true);
      expect(secret).toMatchObject({ objectType: ObjectType.SecretData, cryptographicAlgorithm: undefined });
      const all = await client.getAttributes(uniqueIdentifier);
      expect(all.attributes['Object Type']).toEqual([ObjectType.SecretData]);
      expect(all.attributes['Cryptographic Usage Mask']).toEqual([12]);
    });

    describe('Locate', () => {
      const name = uniqueName(`locate-${version}`);
      const created: string[] = [];

      beforeAll(async () => {
        // PyKMIP allows duplicate Names and lists the newest first.
        for (let i = 0; i < 3; i += 1) created.push((await client.createAesKey({ length: 128, name })).uniqueIdentifier);
        await client.activate(created[0] as string);
      });

      // PyKMIP orders matches by Initial Date, newest first; objects created within the same
      // second keep no particular order, so paging is checked against the server's own full list.
      let all: string[];

      it('finds every object with the Name', async () => {
        all = (await client.locate({ name })).uniqueIdentifiers;
        expect([...all].sort()).toEqual([...created].sort());
      });

      it('filters by Object Type, State and Cryptographic Algorithm', async () => {
        const active = await client.locate({ name, objectType: ObjectType.SymmetricKey, state: State.Active });
        expect(active.uniqueIdentifiers).toEqual([created[0]]);
        const aes = await client.locate({ name, cryptographicAlgorithm: CryptographicAlgorithm.AES });
        expect(aes.uniqueIdentifiers).toHaveLength(3);
        expect((await client.locate({ name, objectType: ObjectType.SecretData })).uniqueIdentifiers).toEqual([]);
      });

      it('honours Maximum Items', async () => {
        expect((await client.locate({ name, maximumItems: 2 })).uniqueIdentifiers).toEqual(all.slice(0, 2));
      });

      it(atLeast13 ? 'honours Offset Items (1.3+)' : 'refuses Offset Items below 1.3 before sending', async () => {
        if (!atLeast13) {
          await expect(client.locate({ name, offsetItems: 1 })).rejects.toBeInstanceOf(KmipVersionError);
          return;
        }
        expect((await client.locate({ name, offsetItems: 1, maximumItems: 1 })).uniqueIdentifiers).toEqual([all[1]]);
        expect((await client.locate({ name, offsetItems: 2 })).uniqueIdentifiers).toEqual([all[2]]);
      });

      it('returns an empty list when nothing matches', async () => {
        expect(await client.locate({ name: uniqueName('nothing') })).toEqual({ uniqueIdentifiers: [], locatedItems: undefined });
      });
    });

    it('answers Get for an unknown identifier with Item Not Found', async () => {
      const error = await client.get('999999999').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KmipOperationError);
      expect(error).toMatchObject({ resultStatus: 'OperationFailed', resultReason: 'ItemNotFound' });
      expect((error as KmipOperationError).resultMessage).toMatch(/999999999/);
    });

    it('answers Query with the operations it supports', async () => {
      const result = await client.query();
      expect(result.operations).toEqual(expect.arrayContaining([Operation.Create, Operation.Register, Operation.Locate, Operation.Get, Operation.Destroy]));
      expect(result.operations).not.toContain(Operation.RNGRetrieve);
      expect(result.vendorIdentification).toMatch(/PyKMIP/);
    });

    if (version === '1.0') {
      it('refuses RNG Retrieve and Discover Versions at 1.0 before sending', async () => {
        await expect(client.rngRetrieve(32)).rejects.toMatchObject({ code: 'KMIP_OPERATION_NOT_IN_VERSION' });
        await expect(client.discoverVersions()).rejects.toMatchObject({ code: 'KMIP_OPERATION_NOT_IN_VERSION' });
      });
    } else {
      it('reports RNG Retrieve as unsupported with the server reason', async () => {
        const error = await client.rngRetrieve(32).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KmipOperationError);
        const failed = error as KmipOperationError;
        expect(failed.operation).toBe('RNGRetrieve');
        expect(['InvalidMessage', 'OperationNotSupported']).toContain(failed.resultReason);
        expect(failed.resultMessage).toBeTruthy();
        expect(failed.message).toContain(failed.resultMessage as string);
        // The connection stays usable after the refusal.
        expect((await client.query()).operations.length).toBeGreaterThan(0);
      });

      it('lists its versions with Discover Versions', async () => {
        expect(await client.discoverVersions()).toEqual(['2.0', '1.4', '1.3', '1.2', '1.1', '1.0']);
      });
    }
  });
});
