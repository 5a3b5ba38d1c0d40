// Which weak algorithms protect a PKCS#12 file, read from the parts of its structure that are not
// encrypted: the MAC digest, the cipher of each EncryptedData part and of each key bag in a plain part.
import forge from 'node-forge';

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const OID_SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const OID_PBES2 = '1.2.840.113549.1.5.13';

/** Password-based encryption schemes that name their cipher in the scheme OID (PKCS#12 PBE, PBES1). */
const WEAK_PBE: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.12.1.1': 'RC4-128',
  '1.2.840.113549.1.12.1.2': 'RC4-40',
  '1.2.840.113549.1.12.1.3': '3DES',
  '1.2.840.113549.1.12.1.4': '2-key 3DES',
  '1.2.840.113549.1.12.1.5': 'RC2-128',
  '1.2.840.113549.1.12.1.6': 'RC2-40',
  '1.2.840.113549.1.5.1': 'DES',
  '1.2.840.113549.1.5.3': 'DES',
  '1.2.840.113549.1.5.4': 'RC2-64',
  '1.2.840.113549.1.5.6': 'RC2-64',
  '1.2.840.113549.1.5.10': 'DES',
  '1.2.840.113549.1.5.11': 'RC2-64',
};

/** Ciphers inside PBES2 that are weak (AES is not listed: it is what files should use). */
const WEAK_PBES2_CIPHER: Readonly<Record<string, string>> = {
  '1.2.840.113549.3.7': '3DES',
  '1.3.14.3.2.7': 'DES',
  '1.2.840.113549.3.2': 'RC2',
};

const WEAK_MAC_DIGEST: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  '1.2.840.113549.2.5': 'MD5',
};

type Asn1 = forge.asn1.Asn1;

function children(node: Asn1 | undefined): Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

function oidOf(node: Asn1 | undefined): string | null {
  return node?.type === forge.asn1.Type.OID && typeof node.value === 'string' ? forge.asn1.derToOid(node.value) : null;
}

/** The bytes of an OCTET STRING, also in its BER "constructed" form (a list of chunks). */
function octetsOf(node: Asn1 | undefined): string {
  if (!node) return '';
  return typeof node.value === 'string' ? node.value : children(node).map(octetsOf).join('');
}

/** The [0] EXPLICIT value of a ContentInfo or SafeBag: SEQUENCE { type OID, [0] EXPLICIT value, … }. */
function contentOf(contentInfo: Asn1 | undefined): Asn1 | undefined {
  return children(children(contentInfo)[1])[0];
}

/** Weak cipher named by an AlgorithmIdentifier of an encrypted part, or null (AES, unknown). */
function weakCipherOf(algorithm: Asn1 | undefined): string | null {
  const [oid, params] = children(algorithm);
  const scheme = oidOf(oid);
  if (scheme === null) return null;
  if (scheme !== OID_PBES2) return WEAK_PBE[scheme] ?? null;
  // PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }
  const cipher = oidOf(children(children(params)[1])[0]);
  return cipher === null ? null : (WEAK_PBES2_CIPHER[cipher] ?? null);
}

function weakMacOf(pfx: Asn1): string | null {
  // MacData ::= SEQUENCE { mac DigestInfo ::= SEQUENCE { digestAlgorithm, digest }, macSalt, iterations }
  const macData = children(pfx)[2];
  const digest = oidOf(children(children(children(macData)[0])[0])[0]);
  return digest === null ? null : (WEAK_MAC_DIGEST[digest] ?? null);
}

/**
 * What weak protection the file uses, as "<part>: <algorithm>" (e.g. "MAC: SHA-1"), each once;
 * empty for a file protected with AES and a SHA-2 MAC. `pfx` is the file's ASN.1 (PFX).
 */
export function weakPkcs12Protection(pfx: Asn1): string[] {
  const found = new Set<string>();
  const authSafe = forge.asn1.fromDer(octetsOf(contentOf(children(pfx)[1])), false);
  for (const contentInfo of children(authSafe)) {
    const type = oidOf(children(contentInfo)[0]);
    if (type === OID_ENCRYPTED_DATA) {
      // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo ::= SEQUENCE { contentType, algorithm, … } }
      const cipher = weakCipherOf(children(children(contentOf(contentInfo))[1])[1]);
      if (cipher) found.add(`encrypted contents: ${cipher}`);
    } else if (type === OID_DATA) {
      const safeContents = forge.asn1.fromDer(octetsOf(contentOf(contentInfo)), false);
      for (const bag of children(safeContents)) {
        if (oidOf(children(bag)[0]) !== OID_SHROUDED_KEY_BAG) continue;
        // SafeBag ::= SEQUENCE { bagId, [0] EXPLICIT EncryptedPrivateKeyInfo ::= SEQUENCE { algorithm, data } }
        const cipher = weakCipherOf(children(contentOf(bag))[0]);
        if (cipher) found.add(`private key: ${cipher}`);
      }
    }
  }
  const mac = weakMacOf(pfx);
  if (mac) found.add(`MAC: ${mac}`);
  return [...found];
}
