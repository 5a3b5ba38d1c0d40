// KMIP enumerations and bit masks, 1.0 through 2.1, by specification name. Value names are normalised as in
// the KMIP XML/JSON encodings (e.g. "RNG Retrieve" -> RNGRetrieve, "SHA-256" -> SHA_256, "3DES" -> DES3).
import { Tag } from './tags';

/** Adjustment Type (enumeration) */
export const AdjustmentType = {
  Increment: 0x00000001,
  Decrement: 0x00000002,
  Negate: 0x00000003,
} as const;

/** Alternative Name Type (enumeration) */
export const AlternativeNameType = {
  UninterpretedTextString: 0x00000001,
  URI: 0x00000002,
  ObjectSerialNumber: 0x00000003,
  EmailAddress: 0x00000004,
  DNSName: 0x00000005,
  X_500DistinguishedName: 0x00000006, // X.500 Distinguished Name
  IPAddress: 0x00000007,
} as const;

/** Asynchronous Indicator (enumeration) */
export const AsynchronousIndicator = {
  Mandatory: 0x00000001,
  Optional: 0x00000002,
  Prohibited: 0x00000003,
} as const;

/** Attestation Type (enumeration) */
export const AttestationType = {
  TPMQuote: 0x00000001,
  TCGIntegrityReport: 0x00000002,
  SAMLAssertion: 0x00000003,
} as const;

/** Batch Error Continuation Option (enumeration) */
export const BatchErrorContinuationOption = {
  Continue: 0x00000001,
  Stop: 0x00000002,
  Undo: 0x00000003,
} as const;

/** Block Cipher Mode (enumeration) */
export const BlockCipherMode = {
  CBC: 0x00000001,
  ECB: 0x00000002,
  PCBC: 0x00000003,
  CFB: 0x00000004,
  OFB: 0x00000005,
  CTR: 0x00000006,
  CMAC: 0x00000007,
  CCM: 0x00000008,
  GCM: 0x00000009,
  CBC_MAC: 0x0000000A, // CBC-MAC
  XTS: 0x0000000B,
  AESKeyWrapPadding: 0x0000000C,
  NISTKeyWrap: 0x0000000D,
  X9_102AESKW: 0x0000000E, // X9.102 AESKW
  X9_102TDKW: 0x0000000F, // X9.102 TDKW
  X9_102AKW1: 0x00000010, // X9.102 AKW1
  X9_102AKW2: 0x00000011, // X9.102 AKW2
  AEAD: 0x00000012,
} as const;

/** Cancellation Result (enumeration) */
export const CancellationResult = {
  Canceled: 0x00000001,
  UnableToCancel: 0x00000002, // Unable to Cancel
  Completed: 0x00000003,
  Failed: 0x00000004,
  Unavailable: 0x00000005,
} as const;

/** Certificate Request Type (enumeration) */
export const CertificateRequestType = {
  CRMF: 0x00000001,
  PKCS_10: 0x00000002, // PKCS#10
  PEM: 0x00000003,
  PGP: 0x00000004, // KMIP 1.x only
} as const;

/** Certificate Type (enumeration) */
export const CertificateType = {
  X_509: 0x00000001, // X.509
  PGP: 0x00000002,
} as const;

/** Client Registration Method (enumeration) */
export const ClientRegistrationMethod = {
  Unspecified: 0x00000001,
  ServerPreGenerated: 0x00000002, // Server Pre-Generated
  ServerOnDemand: 0x00000003, // Server On-Demand
  ClientGenerated: 0x00000004,
  ClientRegistered: 0x00000005,
} as const;

/** Credential Type (enumeration) */
export const CredentialType = {
  UsernameAndPassword: 0x00000001, // Username and Password
  Device: 0x00000002,
  Attestation: 0x00000003,
  OneTimePassword: 0x00000004,
  HashedPassword: 0x00000005,
  Ticket: 0x00000006,
} as const;

/** Cryptographic Algorithm (enumeration) */
export const CryptographicAlgorithm = {
  DES: 0x00000001,
  DES3: 0x00000002, // 3DES
  AES: 0x00000003,
  RSA: 0x00000004,
  DSA: 0x00000005,
  ECDSA: 0x00000006,
  HMAC_SHA1: 0x00000007, // HMAC-SHA1
  HMAC_SHA224: 0x00000008, // HMAC-SHA224
  HMAC_SHA256: 0x00000009, // HMAC-SHA256
  HMAC_SHA384: 0x0000000A, // HMAC-SHA384
  HMAC_SHA512: 0x0000000B, // HMAC-SHA512
  HMAC_MD5: 0x0000000C, // HMAC-MD5
  DH: 0x0000000D,
  ECDH: 0x0000000E,
  ECMQV: 0x0000000F,
  Blowfish: 0x00000010,
  Camellia: 0x00000011,
  CAST5: 0x00000012,
  IDEA: 0x00000013,
  MARS: 0x00000014,
  RC2: 0x00000015,
  RC4: 0x00000016,
  RC5: 0x00000017,
  SKIPJACK: 0x00000018,
  Twofish: 0x00000019,
  EC: 0x0000001A,
  OneTimePad: 0x0000001B,
  ChaCha20: 0x0000001C,
  Poly1305: 0x0000001D,
  ChaCha20Poly1305: 0x0000001E,
  SHA3_224: 0x0000001F, // SHA3-224
  SHA3_256: 0x00000020, // SHA3-256
  SHA3_384: 0x00000021, // SHA3-384
  SHA3_512: 0x00000022, // SHA3-512
  HMAC_SHA3_224: 0x00000023, // HMAC-SHA3-224
  HMAC_SHA3_256: 0x00000024, // HMAC-SHA3-256
  HMAC_SHA3_384: 0x00000025, // HMAC-SHA3-384
  HMAC_SHA3_512: 0x00000026, // HMAC-SHA3-512
  SHAKE_128: 0x00000027, // SHAKE-128
  SHAKE_256: 0x00000028, // SHAKE-256
  ARIA: 0x00000029,
  SEED: 0x0000002A,
  SM2: 0x0000002B,
  SM3: 0x0000002C,
  SM4: 0x0000002D,
  GOSTR34_10_2012: 0x0000002E, // GOST R 34.10-2012
  GOSTR34_11_2012: 0x0000002F, // GOST R 34.11-2012
  GOSTR34_13_2015: 0x00000030, // GOST R 34.13-2015
  GOST28147_89: 0x00000031, // GOST 28147-89
  XMSS: 0x00000032,
  SPHINCS_256: 0x00000033, // SPHINCS-256
  McEliece: 0x00000034,
  McEliece_6960119: 0x00000035, // McEliece-6960119
  McEliece_8192128: 0x00000036, // McEliece-8192128
  Ed25519: 0x00000037,
  Ed448: 0x00000038,
} as const;

/** DRBG Algorithm (enumeration) */
export const DRBGAlgorithm = {
  Unspecified: 0x00000001,
  Dual_EC: 0x00000002, // Dual-EC
  Hash: 0x00000003,
  HMAC: 0x00000004,
  CTR: 0x00000005,
} as const;

/** Derivation Method (enumeration) */
export const DerivationMethod = {
  PBKDF2: 0x00000001,
  HASH: 0x00000002,
  HMAC: 0x00000003,
  ENCRYPT: 0x00000004,
  NIST800_108_C: 0x00000005, // NIST800-108-C
  NIST800_108_F: 0x00000006, // NIST800-108-F
  NIST800_108_DPI: 0x00000007, // NIST800-108-DPI
  AsymmetricKey: 0x00000008,
  AWSSignatureVersion4: 0x00000009,
  HKDF: 0x0000000A,
} as const;

/** Destroy Action (enumeration) */
export const DestroyAction = {
  Unspecified: 0x00000001,
  KeyMaterialDeleted: 0x00000002,
  KeyMaterialShredded: 0x00000003,
  MetaDataDeleted: 0x00000004,
  MetaDataShredded: 0x00000005,
  Deleted: 0x00000006,
  Shredded: 0x00000007,
} as const;

/** Digital Signature Algorithm (enumeration) */
export const DigitalSignatureAlgorithm = {
  MD2WithRSAEncryption: 0x00000001, // MD2 with RSA Encryption
  MD5WithRSAEncryption: 0x00000002, // MD5 with RSA Encryption
  SHA_1WithRSAEncryption: 0x00000003, // SHA-1 with RSA Encryption
  SHA_224WithRSAEncryption: 0x00000004, // SHA-224 with RSA Encryption
  SHA_256WithRSAEncryption: 0x00000005, // SHA-256 with RSA Encryption
  SHA_384WithRSAEncryption: 0x00000006, // SHA-384 with RSA Encryption
  SHA_512WithRSAEncryption: 0x00000007, // SHA-512 with RSA Encryption
  RSASSA_PSS: 0x00000008, // RSASSA-PSS
  DSAWithSHA_1: 0x00000009, // DSA with SHA-1
  DSAWithSHA224: 0x0000000A, // DSA with SHA224
  DSAWithSHA256: 0x0000000B, // DSA with SHA256
  ECDSAWithSHA_1: 0x0000000C, // ECDSA with SHA-1
  ECDSAWithSHA224: 0x0000000D, // ECDSA with SHA224
  ECDSAWithSHA256: 0x0000000E, // ECDSA with SHA256
  ECDSAWithSHA384: 0x0000000F, // ECDSA with SHA384
  ECDSAWithSHA512: 0x00000010, // ECDSA with SHA512
  SHA3_256WithRSAEncryption: 0x00000011, // SHA3-256 with RSA Encryption
  SHA3_384WithRSAEncryption: 0x00000012, // SHA3-384 with RSA Encryption
  SHA3_512WithRSAEncryption: 0x00000013, // SHA3-512 with RSA Encryption
} as const;

/** Encoding Option (enumeration) */
export const EncodingOption = {
  NoEncoding: 0x00000001,
  TTLVEncoding: 0x00000002,
} as const;

/** Endpoint Role (enumeration) */
export const EndpointRole = {
  Client: 0x00000001,
  Server: 0x00000002,
} as const;

/** FIPS186 Variation (enumeration) */
export const FIPS186Variation = {
  Unspecified: 0x00000001,
  GPXOriginal: 0x00000002, // GP x-Original
  GPXChangeNotice: 0x00000003, // GP x-Change Notice
  XOriginal: 0x00000004, // x-Original
  XChangeNotice: 0x00000005, // x-Change Notice
  KOriginal: 0x00000006, // k-Original
  KChangeNotice: 0x00000007, // k-Change Notice
} as const;

/** Hashing Algorithm (enumeration) */
export const HashingAlgorithm = {
  MD2: 0x00000001,
  MD4: 0x00000002,
  MD5: 0x00000003,
  SHA_1: 0x00000004, // SHA-1
  SHA_224: 0x00000005, // SHA-224
  SHA_256: 0x00000006, // SHA-256
  SHA_384: 0x00000007, // SHA-384
  SHA_512: 0x00000008, // SHA-512
  RIPEMD_160: 0x00000009, // RIPEMD-160
  Tiger: 0x0000000A,
  Whirlpool: 0x0000000B,
  SHA_512_224: 0x0000000C, // SHA-512/224
  SHA_512_256: 0x0000000D, // SHA-512/256
  SHA3_224: 0x0000000E, // SHA3-224
  SHA3_256: 0x0000000F, // SHA3-256
  SHA3_384: 0x00000010, // SHA3-384
  SHA3_512: 0x00000011, // SHA3-512
} as const;

/** Interop Function (enumeration) */
export const InteropFunction = {
  Begin: 0x00000001,
  End: 0x00000002,
  Reset: 0x00000003,
} as const;

/** Key Compression Type (enumeration) */
export const KeyCompressionType = {
  ECPublicKeyTypeUncompressed: 0x00000001,
  ECPublicKeyTypeX9_62CompressedPrime: 0x00000002, // EC Public Key Type X9.62 Compressed Prime
  ECPublicKeyTypeX9_62CompressedChar2: 0x00000003, // EC Public Key Type X9.62 Compressed Char2
  ECPublicKeyTypeX9_62Hybrid: 0x00000004, // EC Public Key Type X9.62 Hybrid
} as const;

/** Key Format Type (enumeration) */
export const KeyFormatType = {
  Raw: 0x00000001,
  Opaque: 0x00000002,
  PKCS_1: 0x00000003, // PKCS#1
  PKCS_8: 0x00000004, // PKCS#8
  X_509: 0x00000005, // X.509
  ECPrivateKey: 0x00000006,
  TransparentSymmetricKey: 0x00000007,
  TransparentDSAPrivateKey: 0x00000008,
  TransparentDSAPublicKey: 0x00000009,
  TransparentRSAPrivateKey: 0x0000000A,
  TransparentRSAPublicKey: 0x0000000B,
  TransparentDHPrivateKey: 0x0000000C,
  TransparentDHPublicKey: 0x0000000D,
  TransparentECDSAPrivateKey: 0x0000000E, // KMIP 1.x only
  TransparentECDSAPublicKey: 0x0000000F, // KMIP 1.x only
  TransparentECDHPrivateKey: 0x00000010, // KMIP 1.x only
  TransparentECDHPublicKey: 0x00000011, // KMIP 1.x only
  TransparentECMQVPrivateKey: 0x00000012, // KMIP 1.x only
  TransparentECMQVPublicKey: 0x00000013, // KMIP 1.x only
  TransparentECPrivateKey: 0x00000014,
  TransparentECPublicKey: 0x00000015,
  PKCS_12: 0x00000016, // PKCS#12
  PKCS_10: 0x00000017, // PKCS#10
} as const;

/** Key Role Type (enumeration) */
export const KeyRoleType = {
  BDK: 0x00000001,
  CVK: 0x00000002,
  DEK: 0x00000003,
  MKAC: 0x00000004,
  MKSMC: 0x00000005,
  MKSMI: 0x00000006,
  MKDAC: 0x00000007,
  MKDN: 0x00000008,
  MKCP: 0x00000009,
  MKOTH: 0x0000000A,
  KEK: 0x0000000B,
  MAC16609: 0x0000000C,
  MAC97971: 0x0000000D,
  MAC97972: 0x0000000E,
  MAC97973: 0x0000000F,
  MAC97974: 0x00000010,
  MAC97975: 0x00000011,
  ZPK: 0x00000012,
  PVKIBM: 0x00000013,
  PVKPVV: 0x00000014,
  PVKOTH: 0x00000015,
  DUKPT: 0x00000016,
  IV: 0x00000017,
  TRKBK: 0x00000018,
} as const;

/** Key Value Location Type (enumeration) */
export const KeyValueLocationType = {
  UninterpretedTextString: 0x00000001,
  URI: 0x00000002,
} as const;

/** Key Wrap Type (enumeration) */
export const KeyWrapType = {
  NotWrapped: 0x00000001,
  AsRegistered: 0x00000002,
} as const;

/** Link Type (enumeration) */
export const LinkType = {
  CertificateLink: 0x00000101,
  PublicKeyLink: 0x00000102,
  PrivateKeyLink: 0x00000103,
  DerivationBaseObjectLink: 0x00000104,
  DerivedKeyLink: 0x00000105,
  ReplacementObjectLink: 0x00000106,
  ReplacedObjectLink: 0x00000107,
  ParentLink: 0x00000108,
  ChildLink: 0x00000109,
  PreviousLink: 0x0000010A,
  NextLink: 0x0000010B,
  PKCS_12CertificateLink: 0x0000010C, // PKCS#12 Certificate Link
  PKCS_12PasswordLink: 0x0000010D, // PKCS#12 Password Link
  WrappingKeyLink: 0x0000010E,
} as const;

/** Mask Generator (enumeration) */
export const MaskGenerator = {
  MGF1: 0x00000001,
} as const;

/** NIST Key Type (enumeration) */
export const NISTKeyType = {
  PrivateSignatureKey: 0x00000001, // Private signature key
  PublicSignatureVerificationKey: 0x00000002, // Public signature verification key
  SymmetricAuthenticationKey: 0x00000003, // Symmetric authentication key
  PrivateAuthenticationKey: 0x00000004, // Private authentication key
  PublicAuthenticationKey: 0x00000005, // Public authentication key
  SymmetricDataEncryptionKey: 0x00000006, // Symmetric data encryption key
  SymmetricKeyWrappingKey: 0x00000007, // Symmetric key wrapping key
  SymmetricRandomNumberGenerationKey: 0x00000008, // Symmetric random number generation key
  SymmetricMasterKey: 0x00000009, // Symmetric master key
  PrivateKeyTransportKey: 0x0000000A, // Private key transport key
  PublicKeyTransportKey: 0x0000000B, // Public key transport key
  SymmetricKeyAgreementKey: 0x0000000C, // Symmetric key agreement key
  PrivateStaticKeyAgreementKey: 0x0000000D, // Private static key agreement key
  PublicStaticKeyAgreementKey: 0x0000000E, // Public static key agreement key
  PrivateEphemeralKeyAgreementKey: 0x0000000F, // Private ephemeral key agreement key
  PublicEphemeralKeyAgreementKey: 0x00000010, // Public ephemeral key agreement key
  SymmetricAuthorizationKey: 0x00000011, // Symmetric authorization key
  PrivateAuthorizationKey: 0x00000012, // Private authorization key
  PublicAuthorizationKey: 0x00000013, // Public authorization key
} as const;

/** Name Type (enumeration) */
export const NameType = {
  UninterpretedTextString: 0x00000001,
  URI: 0x00000002,
} as const;

/** Object Group Member (enumeration) */
export const ObjectGroupMember = {
  GroupMemberFresh: 0x00000001,
  GroupMemberDefault: 0x00000002,
} as const;

/** Object Type (enumeration) */
export const ObjectType = {
  Certificate: 0x00000001,
  SymmetricKey: 0x00000002,
  PublicKey: 0x00000003,
  PrivateKey: 0x00000004,
  SplitKey: 0x00000005,
  Template: 0x00000006, // KMIP 1.x only
  SecretData: 0x00000007,
  OpaqueObject: 0x00000008,
  PGPKey: 0x00000009,
  CertificateRequest: 0x0000000A,
} as const;

/** Operation (enumeration) */
export const Operation = {
  Create: 0x00000001,
  CreateKeyPair: 0x00000002,
  Register: 0x00000003,
  ReKey: 0x00000004, // Re-key
  DeriveKey: 0x00000005,
  Certify: 0x00000006,
  ReCertify: 0x00000007, // Re-certify
  Locate: 0x00000008,
  Check: 0x00000009,
  Get: 0x0000000A,
  GetAttributes: 0x0000000B,
  GetAttributeList: 0x0000000C,
  AddAttribute: 0x0000000D,
  ModifyAttribute: 0x0000000E,
  DeleteAttribute: 0x0000000F,
  ObtainLease: 0x00000010,
  GetUsageAllocation: 0x00000011,
  Activate: 0x00000012,
  Revoke: 0x00000013,
  Destroy: 0x00000014,
  Archive: 0x00000015,
  Recover: 0x00000016,
  Validate: 0x00000017,
  Query: 0x00000018,
  Cancel: 0x00000019,
  Poll: 0x0000001A,
  Notify: 0x0000001B,
  Put: 0x0000001C,
  ReKeyKeyPair: 0x0000001D, // Re-key Key Pair
  DiscoverVersions: 0x0000001E,
  Encrypt: 0x0000001F,
  Decrypt: 0x00000020,
  Sign: 0x00000021,
  SignatureVerify: 0x00000022,
  MAC: 0x00000023,
  MACVerify: 0x00000024,
  RNGRetrieve: 0x00000025,
  RNGSeed: 0x00000026,
  Hash: 0x00000027,
  CreateSplitKey: 0x00000028,
  JoinSplitKey: 0x00000029,
  Import: 0x0000002A,
  Export: 0x0000002B,
  Log: 0x0000002C,
  Login: 0x0000002D,
  Logout: 0x0000002E,
  DelegatedLogin: 0x0000002F,
  AdjustAttribute: 0x00000030,
  SetAttribute: 0x00000031,
  SetEndpointRole: 0x00000032,
  PKCS_11: 0x00000033, // PKCS#11
  Interop: 0x00000034,
  ReProvision: 0x00000035, // Re-Provision
  SetDefaults: 0x00000036,
  SetConstraints: 0x00000037,
  GetConstraints: 0x00000038,
  QueryAsynchronousRequests: 0x00000039,
  Process: 0x0000003A,
  Ping: 0x0000003B,
} as const;

/** Padding Method (enumeration) */
export const PaddingMethod = {
  None: 0x00000001,
  OAEP: 0x00000002,
  PKCS5: 0x00000003,
  SSL3: 0x00000004,
  Zeros: 0x00000005,
  ANSIX9_23: 0x00000006, // ANSI X9.23
  ISO10126: 0x00000007,
  PKCS1V1_5: 0x00000008, // PKCS1 v1.5
  X9_31: 0x00000009, // X9.31
  PSS: 0x0000000A,
} as const;

/** Processing Stage (enumeration) */
export const ProcessingStage = {
  Submitted: 0x00000001,
  InProcess: 0x00000002,
  Completed: 0x00000003,
} as const;

/** Profile Name (enumeration) */
export const ProfileName = {
  CompleteServerBasic: 0x00000104,
  CompleteServerTLSV1_2: 0x00000105, // Complete Server TLS v1.2
  TapeLibraryClient: 0x00000106,
  TapeLibraryServer: 0x00000107,
  SymmetricKeyLifecycleClient: 0x00000108,
  SymmetricKeyLifecycleServer: 0x00000109,
  AsymmetricKeyLifecycleClient: 0x0000010A,
  AsymmetricKeyLifecycleServer: 0x0000010B,
  BasicCryptographicClient: 0x0000010C,
  BasicCryptographicServer: 0x0000010D,
  AdvancedCryptographicClient: 0x0000010E,
  AdvancedCryptographicServer: 0x0000010F,
  RNGCryptographicClient: 0x00000110,
  RNGCryptographicServer: 0x00000111,
  BasicSymmetricKeyFoundryClient: 0x00000112,
  IntermediateSymmetricKeyFoundryClient: 0x00000113,
  AdvancedSymmetricKeyFoundryClient: 0x00000114,
  SymmetricKeyFoundryServer: 0x00000115,
  OpaqueManagedObjectStoreClient: 0x00000116,
  OpaqueManagedObjectStoreServer: 0x00000117,
  SuiteBMinLOS_128Client: 0x00000118, // Suite B minLOS_128 Client
  SuiteBMinLOS_128Server: 0x00000119, // Suite B minLOS_128 Server
  SuiteBMinLOS_192Client: 0x0000011A, // Suite B minLOS_192 Client
  SuiteBMinLOS_192Server: 0x0000011B, // Suite B minLOS_192 Server
  StorageArrayWithSelfEncryptingDriveClient: 0x0000011C, // Storage Array with Self Encrypting Drive Client
  StorageArrayWithSelfEncryptingDriveServer: 0x0000011D, // Storage Array with Self Encrypting Drive Server
  HTTPSClient: 0x0000011E,
  HTTPSServer: 0x0000011F,
  JSONClient: 0x00000120,
  JSONServer: 0x00000121,
  XMLClient: 0x00000122,
  XMLServer: 0x00000123,
  AESXTSClient: 0x00000124,
  AESXTSServer: 0x00000125,
  QuantumSafeClient: 0x00000126,
  QuantumSafeServer: 0x00000127,
  PKCS_11Client: 0x00000128, // PKCS#11 Client
  PKCS_11Server: 0x00000129, // PKCS#11 Server
  BaselineClient: 0x0000012A,
  BaselineServer: 0x0000012B,
  CompleteServer: 0x0000012C,
} as const;

/** Protection Level (enumeration) */
export const ProtectionLevel = {
  High: 0x00000001,
  Low: 0x00000002,
} as const;

/** Put Function (enumeration) */
export const PutFunction = {
  New: 0x00000001,
  Replace: 0x00000002,
} as const;

/** Query Function (enumeration) */
export const QueryFunction = {
  QueryOperations: 0x00000001,
  QueryObjects: 0x00000002,
  QueryServerInformation: 0x00000003,
  QueryApplicationNamespaces: 0x00000004,
  QueryExtensionList: 0x00000005,
  QueryExtensionMap: 0x00000006,
  QueryAttestationTypes: 0x00000007,
  QueryRNGs: 0x00000008,
  QueryValidations: 0x00000009,
  QueryProfiles: 0x0000000A,
  QueryCapabilities: 0x0000000B,
  QueryClientRegistrationMethods: 0x0000000C,
  QueryDefaultsInformation: 0x0000000D,
  QueryStorageProtectionMasks: 0x0000000E,
} as const;

/** RNG Algorithm (enumeration) */
export const RNGAlgorithm = {
  Unspecified: 0x00000001,
  FIPS186_2: 0x00000002, // FIPS 186-2
  DRBG: 0x00000003,
  NRBG: 0x00000004,
  ANSIX9_31: 0x00000005, // ANSI X9.31
  ANSIX9_62: 0x00000006, // ANSI X9.62
} as const;

/** RNG Mode (enumeration) */
export const RNGMode = {
  Unspecified: 0x00000001,
  SharedInstantiation: 0x00000002,
  NonSharedInstantiation: 0x00000003, // Non-Shared Instantiation
} as const;

/** Recommended Curve (enumeration) */
export const RecommendedCurve = {
  P_192: 0x00000001, // P-192
  K_163: 0x00000002, // K-163
  B_163: 0x00000003, // B-163
  P_224: 0x00000004, // P-224
  K_233: 0x00000005, // K-233
  B_233: 0x00000006, // B-233
  P_256: 0x00000007, // P-256
  K_283: 0x00000008, // K-283
  B_283: 0x00000009, // B-283
  P_384: 0x0000000A, // P-384
  K_409: 0x0000000B, // K-409
  B_409: 0x0000000C, // B-409
  P_521: 0x0000000D, // P-521
  K_571: 0x0000000E, // K-571
  B_571: 0x0000000F, // B-571
  SECP112R1: 0x00000010,
  SECP112R2: 0x00000011,
  SECP128R1: 0x00000012,
  SECP128R2: 0x00000013,
  SECP160K1: 0x00000014,
  SECP160R1: 0x00000015,
  SECP160R2: 0x00000016,
  SECP192K1: 0x00000017,
  SECP224K1: 0x00000018,
  SECP256K1: 0x00000019,
  SECT113R1: 0x0000001A,
  SECT113R2: 0x0000001B,
  SECT131R1: 0x0000001C,
  SECT131R2: 0x0000001D,
  SECT163R1: 0x0000001E,
  SECT193R1: 0x0000001F,
  SECT193R2: 0x00000020,
  SECT239K1: 0x00000021,
  ANSIX9P192V2: 0x00000022,
  ANSIX9P192V3: 0x00000023,
  ANSIX9P239V1: 0x00000024,
  ANSIX9P239V2: 0x00000025,
  ANSIX9P239V3: 0x00000026,
  ANSIX9C2PNB163V1: 0x00000027,
  ANSIX9C2PNB163V2: 0x00000028,
  ANSIX9C2PNB163V3: 0x00000029,
  ANSIX9C2PNB176V1: 0x0000002A,
  ANSIX9C2TNB191V1: 0x0000002B,
  ANSIX9C2TNB191V2: 0x0000002C,
  ANSIX9C2TNB191V3: 0x0000002D,
  ANSIX9C2PNB208W1: 0x0000002E,
  ANSIX9C2TNB239V1: 0x0000002F,
  ANSIX9C2TNB239V2: 0x00000030,
  ANSIX9C2TNB239V3: 0x00000031,
  ANSIX9C2PNB272W1: 0x00000032,
  ANSIX9C2PNB304W1: 0x00000033,
  ANSIX9C2TNB359V1: 0x00000034,
  ANSIX9C2PNB368W1: 0x00000035,
  ANSIX9C2TNB431R1: 0x00000036,
  BRAINPOOLP160R1: 0x00000037,
  BRAINPOOLP160T1: 0x00000038,
  BRAINPOOLP192R1: 0x00000039,
  BRAINPOOLP192T1: 0x0000003A,
  BRAINPOOLP224R1: 0x0000003B,
  BRAINPOOLP224T1: 0x0000003C,
  BRAINPOOLP256R1: 0x0000003D,
  BRAINPOOLP256T1: 0x0000003E,
  BRAINPOOLP320R1: 0x0000003F,
  BRAINPOOLP320T1: 0x00000040,
  BRAINPOOLP384R1: 0x00000041,
  BRAINPOOLP384T1: 0x00000042,
  BRAINPOOLP512R1: 0x00000043,
  BRAINPOOLP512T1: 0x00000044,
  CURVE25519: 0x00000045,
  CURVE448: 0x00000046,
} as const;

/** Result Reason (enumeration) */
export const ResultReason = {
  ItemNotFound: 0x00000001,
  ResponseTooLarge: 0x00000002,
  AuthenticationNotSuccessful: 0x00000003,
  InvalidMessage: 0x00000004,
  OperationNotSupported: 0x00000005,
  MissingData: 0x00000006,
  InvalidField: 0x00000007,
  FeatureNotSupported: 0x00000008,
  OperationCanceledByRequester: 0x00000009,
  CryptographicFailure: 0x0000000A,
  IllegalOperation: 0x0000000B, // KMIP 1.x only
  PermissionDenied: 0x0000000C,
  ObjectArchived: 0x0000000D,
  IndexOutOfBounds: 0x0000000E, // Index Out of Bounds KMIP 1.x only
  ApplicationNamespaceNotSupported: 0x0000000F,
  KeyFormatTypeNotSupported: 0x00000010,
  KeyCompressionTypeNotSupported: 0x00000011,
  EncodingOptionError: 0x00000012,
  KeyValueNotPresent: 0x00000013,
  AttestationRequired: 0x00000014,
  AttestationFailed: 0x00000015,
  Sensitive: 0x00000016,
  NotExtractable: 0x00000017,
  ObjectAlreadyExists: 0x00000018,
  InvalidTicket: 0x00000019,
  UsageLimitExceeded: 0x0000001A,
  NumericRange: 0x0000001B,
  InvalidDataType: 0x0000001C,
  ReadOnlyAttribute: 0x0000001D,
  MultiValuedAttribute: 0x0000001E,
  UnsupportedAttribute: 0x0000001F,
  AttributeInstanceNotFound: 0x00000020,
  AttributeNotFound: 0x00000021,
  AttributeReadOnly: 0x00000022,
  AttributeSingleValued: 0x00000023,
  BadCryptographicParameters: 0x00000024,
  BadPassword: 0x00000025,
  CodecError: 0x00000026,
  IllegalObjectType: 0x00000028,
  IncompatibleCryptographicUsageMask: 0x00000029,
  InternalServerError: 0x0000002A,
  InvalidAsynchronousCorrelationValue: 0x0000002B,
  InvalidAttribute: 0x0000002C,
  InvalidAttributeValue: 0x0000002D,
  InvalidCorrelationValue: 0x0000002E,
  InvalidCSR: 0x0000002F,
  InvalidObjectType: 0x00000030,
  KeyWrapTypeNotSupported: 0x00000032,
  MissingInitializationVector: 0x00000034,
  NonUniqueNameAttribute: 0x00000035,
  ObjectDestroyed: 0x00000036,
  ObjectNotFound: 0x00000037,
  NotAuthorised: 0x00000039,
  ServerLimitExceeded: 0x0000003A,
  UnknownEnumeration: 0x0000003B,
  UnknownMessageExtension: 0x0000003C,
  UnknownTag: 0x0000003D,
  UnsupportedCryptographicParameters: 0x0000003E,
  UnsupportedProtocolVersion: 0x0000003F,
  WrappingObjectArchived: 0x00000040,
  WrappingObjectDestroyed: 0x00000041,
  WrappingObjectNotFound: 0x00000042,
  WrongKeyLifecycleState: 0x00000043,
  ProtectionStorageUnavailable: 0x00000044,
  PKCS_11CodecError: 0x00000045, // PKCS#11 Codec Error
  PKCS_11InvalidFunction: 0x00000046, // PKCS#11 Invalid Function
  PKCS_11InvalidInterface: 0x00000047, // PKCS#11 Invalid Interface
  PrivateProtectionStorageUnavailable: 0x00000048,
  PublicProtectionStorageUnavailable: 0x00000049,
  UnknownObjectGroup: 0x0000004A,
  ConstraintViolation: 0x0000004B,
  DuplicateProcessRequest: 0x0000004C,
  GeneralFailure: 0x00000100,
} as const;

/** Result Status (enumeration) */
export const ResultStatus = {
  Success: 0x00000000,
  OperationFailed: 0x00000001,
  OperationPending: 0x00000002,
  OperationUndone: 0x00000003,
} as const;

/** Revocation Reason Code (enumeration) */
export const RevocationReasonCode = {
  Unspecified: 0x00000001,
  KeyCompromise: 0x00000002,
  CACompromise: 0x00000003,
  AffiliationChanged: 0x00000004,
  Superseded: 0x00000005,
  CessationOfOperation: 0x00000006, // Cessation of Operation
  PrivilegeWithdrawn: 0x00000007,
} as const;

/** Secret Data Type (enumeration) */
export const SecretDataType = {
  Password: 0x00000001,
  Seed: 0x00000002,
} as const;

/** Shredding Algorithm (enumeration) */
export const ShreddingAlgorithm = {
  Unspecified: 0x00000001,
  Cryptographic: 0x00000002,
  Unsupported: 0x00000003,
} as const;

/** Split Key Method (enumeration) */
export const SplitKeyMethod = {
  XOR: 0x00000001,
  PolynomialSharingGF216: 0x00000002, // Polynomial Sharing GF (216)
  PolynomialSharingPrimeField: 0x00000003,
  PolynomialSharingGF28: 0x00000004, // Polynomial Sharing GF (28)
} as const;

/** State (enumeration) */
export const State = {
  PreActive: 0x00000001, // Pre-Active
  Active: 0x00000002,
  Deactivated: 0x00000003,
  Compromised: 0x00000004,
  Destroyed: 0x00000005,
  DestroyedCompromised: 0x00000006,
} as const;

/** Ticket Type (enumeration) */
export const TicketType = {
  Login: 0x00000001,
} as const;

/** Unique Identifier (enumeration) */
export const UniqueIdentifier = {
  IDPlaceholder: 0x00000001,
  Certify: 0x00000002,
  Create: 0x00000003,
  CreateKeyPair: 0x00000004,
  CreateKeyPairPrivateKey: 0x00000005,
  CreateKeyPairPublicKey: 0x00000006,
  CreateSplitKey: 0x00000007,
  DeriveKey: 0x00000008,
  Import: 0x00000009,
  JoinSplitKey: 0x0000000A,
  Locate: 0x0000000B,
  Register: 0x0000000C,
  ReKey: 0x0000000D, // Re-key
  ReCertify: 0x0000000E, // Re-certify
  ReKeyKeyPair: 0x0000000F, // Re-key Key Pair
  ReKeyKeyPairPrivateKey: 0x00000010, // Re-key Key Pair Private Key
  ReKeyKeyPairPublicKey: 0x00000011, // Re-key Key Pair Public Key
} as const;

/** Unwrap Mode (enumeration) */
export const UnwrapMode = {
  Unspecified: 0x00000001,
  Processed: 0x00000002,
  NotProcessed: 0x00000003,
} as const;

/** Usage Limits Unit (enumeration) */
export const UsageLimitsUnit = {
  Byte: 0x00000001,
  Object: 0x00000002,
} as const;

/** Validation Authority Type (enumeration) */
export const ValidationAuthorityType = {
  Unspecified: 0x00000001,
  NISTCMVP: 0x00000002,
  CommonCriteria: 0x00000003,
} as const;

/** Validation Type (enumeration) */
export const ValidationType = {
  Unspecified: 0x00000001,
  Hardware: 0x00000002,
  Software: 0x00000003,
  Firmware: 0x00000004,
  Hybrid: 0x00000005,
} as const;

/** Validity Indicator (enumeration) */
export const ValidityIndicator = {
  Valid: 0x00000001,
  Invalid: 0x00000002,
  Unknown: 0x00000003,
} as const;

/** Wrapping Method (enumeration) */
export const WrappingMethod = {
  Encrypt: 0x00000001,
  MACSign: 0x00000002, // MAC/sign
  EncryptThenMACSign: 0x00000003, // Encrypt then MAC/sign
  MACSignThenEncrypt: 0x00000004, // MAC/sign then encrypt
  TR_31: 0x00000005, // TR-31
} as const;

/** Cryptographic Usage Mask (bit mask) */
export const CryptographicUsageMask = {
  Sign: 0x00000001,
  Verify: 0x00000002,
  Encrypt: 0x00000004,
  Decrypt: 0x00000008,
  WrapKey: 0x00000010,
  UnwrapKey: 0x00000020,
  Export: 0x00000040,
  MACGenerate: 0x00000080,
  MACVerify: 0x00000100,
  DeriveKey: 0x00000200,
  ContentCommitment: 0x00000400,
  KeyAgreement: 0x00000800,
  CertificateSign: 0x00001000,
  CRLSign: 0x00002000,
  GenerateCryptogram: 0x00004000,
  ValidateCryptogram: 0x00008000,
  TranslateEncrypt: 0x00010000,
  TranslateDecrypt: 0x00020000,
  TranslateWrap: 0x00040000,
  TranslateUnwrap: 0x00080000,
  Authenticate: 0x00100000,
  Unrestricted: 0x00200000,
  FPEEncrypt: 0x00400000,
  FPEDecrypt: 0x00800000,
} as const;

/** Storage Status Mask (bit mask) */
export const StorageStatusMask = {
  OnLineStorage: 0x00000001, // On-line Storage
  ArchivalStorage: 0x00000002,
  DestroyedStorage: 0x00000004,
} as const;

/** Protection Storage Mask (bit mask) */
export const ProtectionStorageMask = {
  Software: 0x00000001,
  Hardware: 0x00000002,
  OnProcessor: 0x00000004,
  OnSystem: 0x00000008,
  OffSystem: 0x00000010,
  Hypervisor: 0x00000020,
  OperatingSystem: 0x00000040,
  Container: 0x00000080,
  OnPremises: 0x00000100,
  OffPremises: 0x00000200,
  SelfManaged: 0x00000400,
  Outsourced: 0x00000800,
  Validated: 0x00001000,
  SameJurisdiction: 0x00002000,
} as const;

/** Every enumeration (kind 'enumeration', item type Enumeration) and bit mask (kind 'mask', item type Integer). */
export const ENUMERATIONS = {
  AdjustmentType: { kind: 'enumeration', values: AdjustmentType },
  AlternativeNameType: { kind: 'enumeration', values: AlternativeNameType },
  AsynchronousIndicator: { kind: 'enumeration', values: AsynchronousIndicator },
  AttestationType: { kind: 'enumeration', values: AttestationType },
  BatchErrorContinuationOption: { kind: 'enumeration', values: BatchErrorContinuationOption },
  BlockCipherMode: { kind: 'enumeration', values: BlockCipherMode },
  CancellationResult: { kind: 'enumeration', values: CancellationResult },
  CertificateRequestType: { kind: 'enumeration', values: CertificateRequestType },
  CertificateType: { kind: 'enumeration', values: CertificateType },
  ClientRegistrationMethod: { kind: 'enumeration', values: ClientRegistrationMethod },
  CredentialType: { kind: 'enumeration', values: CredentialType },
  CryptographicAlgorithm: { kind: 'enumeration', values: CryptographicAlgorithm },
  DRBGAlgorithm: { kind: 'enumeration', values: DRBGAlgorithm },
  DerivationMethod: { kind: 'enumeration', values: DerivationMethod },
  DestroyAction: { kind: 'enumeration', values: DestroyAction },
  DigitalSignatureAlgorithm: { kind: 'enumeration', values: DigitalSignatureAlgorithm },
  EncodingOption: { kind: 'enumeration', values: EncodingOption },
  EndpointRole: { kind: 'enumeration', values: EndpointRole },
  FIPS186Variation: { kind: 'enumeration', values: FIPS186Variation },
  HashingAlgorithm: { kind: 'enumeration', values: HashingAlgorithm },
  InteropFunction: { kind: 'enumeration', values: InteropFunction },
  KeyCompressionType: { kind: 'enumeration', values: KeyCompressionType },
  KeyFormatType: { kind: 'enumeration', values: KeyFormatType },
  KeyRoleType: { kind: 'enumeration', values: KeyRoleType },
  KeyValueLocationType: { kind: 'enumeration', values: KeyValueLocationType },
  KeyWrapType: { kind: 'enumeration', values: KeyWrapType },
  LinkType: { kind: 'enumeration', values: LinkType },
  MaskGenerator: { kind: 'enumeration', values: MaskGenerator },
  NISTKeyType: { kind: 'enumeration', values: NISTKeyType },
  NameType: { kind: 'enumeration', values: NameType },
  ObjectGroupMember: { kind: 'enumeration', values: ObjectGroupMember },
  ObjectType: { kind: 'enumeration', values: ObjectType },
  Operation: { kind: 'enumeration', values: Operation },
  PaddingMethod: { kind: 'enumeration', values: PaddingMethod },
  ProcessingStage: { kind: 'enumeration', values: ProcessingStage },
  ProfileName: { kind: 'enumeration', values: ProfileName },
  ProtectionLevel: { kind: 'enumeration', values: ProtectionLevel },
  PutFunction: { kind: 'enumeration', values: PutFunction },
  QueryFunction: { kind: 'enumeration', values: QueryFunction },
  RNGAlgorithm: { kind: 'enumeration', values: RNGAlgorithm },
  RNGMode: { kind: 'enumeration', values: RNGMode },
  RecommendedCurve: { kind: 'enumeration', values: RecommendedCurve },
  ResultReason: { kind: 'enumeration', values: ResultReason },
  ResultStatus: { kind: 'enumeration', values: ResultStatus },
  RevocationReasonCode: { kind: 'enumeration', values: RevocationReasonCode },
  SecretDataType: { kind: 'enumeration', values: SecretDataType },
  ShreddingAlgorithm: { kind: 'enumeration', values: ShreddingAlgorithm },
  SplitKeyMethod: { kind: 'enumeration', values: SplitKeyMethod },
  State: { kind: 'enumeration', values: State },
  TicketType: { kind: 'enumeration', values: TicketType },
  UniqueIdentifier: { kind: 'enumeration', values: UniqueIdentifier },
  UnwrapMode: { kind: 'enumeration', values: UnwrapMode },
  UsageLimitsUnit: { kind: 'enumeration', values: UsageLimitsUnit },
  ValidationAuthorityType: { kind: 'enumeration', values: ValidationAuthorityType },
  ValidationType: { kind: 'enumeration', values: ValidationType },
  ValidityIndicator: { kind: 'enumeration', values: ValidityIndicator },
  WrappingMethod: { kind: 'enumeration', values: WrappingMethod },
  CryptographicUsageMask: { kind: 'mask', values: CryptographicUsageMask },
  StorageStatusMask: { kind: 'mask', values: StorageStatusMask },
  ProtectionStorageMask: { kind: 'mask', values: ProtectionStorageMask },
} as const;

export type EnumerationName = keyof typeof ENUMERATIONS;

/** Which enumeration or bit mask names the values of an item with this tag (Enumeration and Integer items). */
export const ENUMERATION_FOR_TAG: ReadonlyMap<number, EnumerationName> = new Map<number, EnumerationName>([
  [Tag.AdjustmentType, 'AdjustmentType'],
  [Tag.AlternativeNameType, 'AlternativeNameType'],
  [Tag.AsynchronousIndicator, 'AsynchronousIndicator'],
  [Tag.AttestationType, 'AttestationType'],
  [Tag.BatchErrorContinuationOption, 'BatchErrorContinuationOption'],
  [Tag.BlockCipherMode, 'BlockCipherMode'],
  [Tag.CancellationResult, 'CancellationResult'],
  [Tag.CertificateRequestType, 'CertificateRequestType'],
  [Tag.CertificateType, 'CertificateType'],
  [Tag.ClientRegistrationMethod, 'ClientRegistrationMethod'],
  [Tag.CredentialType, 'CredentialType'],
  [Tag.CryptographicAlgorithm, 'CryptographicAlgorithm'],
  [Tag.DRBGAlgorithm, 'DRBGAlgorithm'],
  [Tag.DerivationMethod, 'DerivationMethod'],
  [Tag.DestroyAction, 'DestroyAction'],
  [Tag.DigitalSignatureAlgorithm, 'DigitalSignatureAlgorithm'],
  [Tag.EncodingOption, 'EncodingOption'],
  [Tag.EndpointRole, 'EndpointRole'],
  [Tag.FIPS186Variation, 'FIPS186Variation'],
  [Tag.HashingAlgorithm, 'HashingAlgorithm'],
  [Tag.InteropFunction, 'InteropFunction'],
  [Tag.KeyCompressionType, 'KeyCompressionType'],
  [Tag.KeyFormatType, 'KeyFormatType'],
  [Tag.KeyRoleType, 'KeyRoleType'],
  [Tag.KeyValueLocationType, 'KeyValueLocationType'],
  [Tag.KeyWrapType, 'KeyWrapType'],
  [Tag.LinkType, 'LinkType'],
  [Tag.MaskGenerator, 'MaskGenerator'],
  [Tag.NISTKeyType, 'NISTKeyType'],
  [Tag.NameType, 'NameType'],
  [Tag.ObjectGroupMember, 'ObjectGroupMember'],
  [Tag.ObjectType, 'ObjectType'],
  [Tag.Operation, 'Operation'],
  [Tag.PaddingMethod, 'PaddingMethod'],
  [Tag.ProcessingStage, 'ProcessingStage'],
  [Tag.ProfileName, 'ProfileName'],
  [Tag.ProtectionLevel, 'ProtectionLevel'],
  [Tag.PutFunction, 'PutFunction'],
  [Tag.QueryFunction, 'QueryFunction'],
  [Tag.RNGAlgorithm, 'RNGAlgorithm'],
  [Tag.RNGMode, 'RNGMode'],
  [Tag.RecommendedCurve, 'RecommendedCurve'],
  [Tag.ResultReason, 'ResultReason'],
  [Tag.ResultStatus, 'ResultStatus'],
  [Tag.RevocationReasonCode, 'RevocationReasonCode'],
  [Tag.SecretDataType, 'SecretDataType'],
  [Tag.ShreddingAlgorithm, 'ShreddingAlgorithm'],
  [Tag.SplitKeyMethod, 'SplitKeyMethod'],
  [Tag.State, 'State'],
  [Tag.TicketType, 'TicketType'],
  [Tag.UniqueIdentifier, 'UniqueIdentifier'],
  [Tag.UnwrapMode, 'UnwrapMode'],
  [Tag.UsageLimitsUnit, 'UsageLimitsUnit'],
  [Tag.ValidationAuthorityType, 'ValidationAuthorityType'],
  [Tag.ValidationType, 'ValidationType'],
  [Tag.ValidityIndicator, 'ValidityIndicator'],
  [Tag.WrappingMethod, 'WrappingMethod'],
  [Tag.CryptographicUsageMask, 'CryptographicUsageMask'],
  [Tag.StorageStatusMask, 'StorageStatusMask'],
  [Tag.ProtectionStorageMask, 'ProtectionStorageMask'],
  [Tag.MaskGeneratorHashingAlgorithm, 'HashingAlgorithm'],
  [Tag.RotateNameType, 'NameType'],
]);
