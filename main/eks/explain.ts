// Turns a failure into what a step report shows: a stable code, what happened, and the likely fix.
import { AppError, errorMessageToShow } from '../../common/app-error';
import { StoreError } from '../store';
import { EksError } from './errors';
import { KmipOperationError, KmipOperationPendingError, KmipResponseError, KmipVersionError, TransportError, type TransportErrorCode } from '../kmip';

export interface Explanation {
  code: string;
  detail: string;
  fix: string;
  /** the settings field the failure points at, when one does */
  field?: string;
}

const TRANSPORT_FIX: Partial<Record<TransportErrorCode, string>> = {
  DNS_LOOKUP_FAILED: 'Check the spelling of Host Name and the DNS settings of this machine, or enter the IP address.',
  CONNECTION_REFUSED: 'Check Port (KMIP uses 5696) and that the key server is running and listening on this address.',
  NETWORK_UNREACHABLE: 'Check Host Name, the network route and firewalls between this machine and the key server.',
  CONNECT_TIMEOUT: 'A firewall may drop the packets, or the host is down: check Host Name, Port and firewalls, or raise Timeout.',
  TLS_HANDSHAKE_FAILED: 'Check that the port speaks KMIP over TLS, and the Ciphers list (empty uses the defaults).',
  CERT_UNTRUSTED: "Load the CA that issued the server's certificate in CA Trusted Cert (or pin the Server Cert).",
  CERT_EXPIRED: "The server's certificate has expired: renew it on the key server.",
  CERT_NOT_YET_VALID: "The server's certificate is not valid yet: check the clocks of both machines.",
  HOSTNAME_MISMATCH: "Enter the Host Name the server's certificate names (see its subjectAltName), or reissue the certificate.",
  PIN_MISMATCH: 'The server presented another certificate than the pinned Server Cert: load the current one, or clear the pin.',
  TLS_VERSION_REFUSED: 'The server must offer TLS 1.2 or newer.',
  CLIENT_CERT_REFUSED: 'Load a client certificate (and key) issued by a CA the key server trusts, with the clientAuth extended key usage.',
  BAD_CLIENT_CREDENTIAL_FILE: 'Load the client certificate and key again (with the right password).',
  BAD_CA_FILE: 'Load the CA Trusted Cert file again.',
  BAD_PINNED_CERT_FILE: 'Load the Server Cert file again.',
  INVALID_CIPHERS: 'Correct the Ciphers list (an OpenSSL cipher list), or leave it empty.',
  REQUEST_TIMEOUT: 'The key server did not answer in time: check its load, or raise Timeout.',
  CONNECTION_CLOSED:
    'The server closed the connection: it may refuse this client certificate (check the server log), or it restarted. Try again.',
  MESSAGE_TOO_LARGE: 'The server answered with a message above the size cap: it may not be a KMIP server.',
  REQUEST_TOO_LARGE: 'Nothing was sent: store a smaller value (the request must fit in 1 MiB, the limit of common KMIP servers).',
  MALFORMED_RESPONSE: 'The server does not answer in KMIP TTLV: check Host Name and Port.',
};

const APP_FIX: Record<string, string> = {
  STORE_TAMPERED:
    'Restore the store from a backup file (System Recovery Options, or kmip-console store restore FILE --replace): recovery from the key server cannot repair a damaged file.',
  SETTINGS_CHANGED: 'Check the settings (they were saved or applied in another window or by a kmip-console command), then run the action again.',
  BACKUP_DAMAGED: 'Use another copy of this backup (from where backups are kept), or recover the store in place if the data folder still holds it.',
  WRONG_KEY: 'Recover the store from the key server to re-create its local unlock.',
  LOCAL_UNLOCK_MISSING: 'Recover the store from the key server (kmip-console recover).',
  STORE_UNREADABLE: 'Check the path of the store or backup file.',
  STORE_TOO_NEW: 'Use the kmip-console version that wrote this file, or a newer one: this one leaves the file as it is.',
  STORE_NOT_FOUND:
    'On a new machine or after a reinstall, restore a backup file: kmip-console recover --backup FILE (System Recovery Options → ' +
    'Restore from a backup file in the app). Otherwise check that the data folder (--data-dir) is the one the store was applied in.',
  STORE_NOT_A_FILE:
    'Move it out of the way (rename it), then restore a backup file into the data folder: kmip-console recover --backup FILE, or ' +
    'System Recovery Options → Restore from a backup file.',
  BACKUP_NOT_FOUND:
    'Choose the backup file again where it is now (System Recovery Options → Restore from a backup file, or the path after --backup).',
  // Not a bare "again": after another Apply won, running Apply again would register one more generation.
  STORE_CHANGED:
    'Another kmip-console process (another window, or the command line) changed the store meanwhile: see what is applied and stored now ' +
    "(the settings dialog's change summary, or kmip-console status), then run the action again only if it is still needed.",
  STORE_BUSY: 'Another kmip-console process is changing the store: wait for it to finish, then run the action again.',
  STORE_WRITE_FAILED: 'Make the data folder writable and free disk space, then run the action again.',
  SECRET_STORE_UNAVAILABLE: 'Start and unlock the OS keychain (Secret Service) for this session.',
  ADMIN_KEY_NOT_FOUND:
    'Connect with the settings (server and client identity) the store was applied with: objects are often visible to their owner only.',
  ADMIN_KEY_MISMATCH:
    'Check on the key server which object is this store’s Admin Key; or restore a backup whose Admin Key generation is still on the key server.',
  ADMIN_KEY_NOT_ACTIVE: 'Check on the key server who changed the Admin Key, then run Apply again: it registers a new generation.',
  READBACK_MISMATCH: 'The key server returned different key bytes than were registered: check the server; nothing was changed locally.',
  OPERATION_NOT_OFFERED: 'Use a key server that offers Register, Activate, Locate and Get (see Test).',
  STORE_NEEDS_RECOVERY:
    'Recover the store from the key server first (kmip-console recover, or System Recovery Options), then Apply. If recovery finds no Admin Key ' +
    'of this store on the key server, restore a backup whose Admin Key generation is still there (kmip-console recover --backup FILE --replace).',
  NO_ADMIN_KEY: 'This store was never applied, so no key server holds its Admin Key: nothing can open it without its local unlock.',
  BACKUP_OF_OTHER_STORE: 'Restore into an empty data folder, or confirm replacing the existing store.',
  TEST_CANCELED: 'Nothing was changed. A server that does not answer: check Host Name and Port; a Timeout above 0 bounds how long each step waits.',
  APPLY_CANCELED: 'Run Apply again when the key server answers (Test shows where it stops); a Timeout above 0 bounds how long each step waits.',
  RECOVER_CANCELED: 'Nothing was changed. Recover again when the key server answers (Test shows where it stops); a Timeout above 0 bounds how long each step waits.',
  BACKUP_REPLACES_STORE: 'Recover the store in place (without the backup), or confirm replacing it with the backup.',
};

/** How to restore a damaged store file from a backup (the CLI's and the app's way). */
function restoreDamagedStoreFix(storePath: string): string {
  return (
    `Restore ${storePath} from a backup file: kmip-console recover --backup FILE --replace (or store restore FILE --replace), ` +
    'or System Recovery Options → Restore from a backup file. Recovery from the key server reads this same file, and cannot repair it.'
  );
}

/** The fix that names the store file concerned, where the code's fix would leave it out. */
function storeFileFix(error: AppError): string | undefined {
  if (error instanceof StoreError && error.code === 'STORE_TAMPERED' && error.path !== undefined) return restoreDamagedStoreFix(error.path);
  return undefined;
}

/** For a connection the server closed after answering requests on it: it accepted the client certificate then. */
const CLOSED_AFTER_ANSWERS_FIX =
  'The server had answered requests on this connection, so it accepts this client: it may have restarted, or an idle timeout or a load balancer closed the connection. Try again.';

function transportFix(error: TransportError): string {
  if (error.code === 'CONNECTION_CLOSED' && error.answeredBeforeClose > 0) return CLOSED_AFTER_ANSWERS_FIX;
  // TCP connected but TLS did not complete: packets are not being dropped, so the firewall fix would mislead.
  if (error.code === 'CONNECT_TIMEOUT' && error.detail === 'handshake') {
    return "The port accepts connections but does not speak TLS in time: check that Port is the key server's KMIP port (5696), or raise Timeout.";
  }
  // The system refused the address before any packet left: for an IP address that means a link-local
  // IPv6 address whose zone (after "%") names no interface here, or that lacks one. The zone is not
  // checked at Save: the settings may be prepared on another machine, with other interface names.
  if (error.detail === 'EINVAL') {
    return (
      'This machine refused the address in Host Name (EINVAL). A link-local IPv6 address (fe80::…) needs the name of one of ' +
      'this machine\'s network interfaces after "%" (e.g. fe80::1%eth0): check the interface name after % (`ip link` or `ifconfig` lists them).'
    );
  }
  return TRANSPORT_FIX[error.code] ?? 'Check the connection settings and try again.';
}

export function explain(error: unknown): Explanation {
  if (error instanceof TransportError) {
    return { code: error.code, detail: error.message, fix: transportFix(error), ...(error.field ? { field: error.field } : {}) };
  }
  if (error instanceof KmipOperationError) {
    const fixByReason: Record<string, string> = {
      AuthenticationNotSuccessful: 'Check Username and Password under Credentials, and the client certificate.',
      PermissionDenied: 'Use the client identity that owns the object, or ask the key server administrator for access.',
      OperationNotSupported: `Use a key server (or a Protocol version) that offers ${error.operation}.`,
      InvalidMessage: 'Set Protocol to auto, or to a version the server supports.',
      ItemNotFound: 'Check the object identifier and the client identity in use.',
    };
    return {
      code: error.code,
      detail: error.message,
      fix: fixByReason[error.resultReason ?? ''] ?? 'See the server’s message; check the key server log.',
    };
  }
  if (error instanceof KmipOperationPendingError) {
    const fix = error.readOnly
      ? 'Run the action again: this request only reads. If the server keeps answering so, check its settings for asynchronous processing.'
      : 'Check on the key server whether the request took effect (its log, or Locate) before running the action again.';
    return { code: error.code, detail: error.message, fix };
  }
  if (error instanceof KmipVersionError) {
    const fix =
      'If Protocol is set to a version, set it to auto or to one the server supports; if it is auto, the server offers no version this client speaks: check its KMIP settings.';
    return { code: error.code, detail: error.message, fix, field: 'protocol' };
  }
  if (error instanceof KmipResponseError) {
    return { code: error.code, detail: error.message, fix: 'The server’s answer is not valid KMIP: check that Host Name and Port point at a KMIP server.' };
  }
  if (error instanceof AppError) {
    const fix = (error instanceof EksError ? error.fix : undefined) ?? storeFileFix(error) ?? APP_FIX[error.code] ?? 'See the message.';
    return { code: error.code, detail: error.message, fix, ...(error.field ? { field: error.field } : {}) };
  }
  return { code: 'INTERNAL', detail: `Internal error: ${errorMessageToShow(error)}`, fix: 'This is a bug in kmip-console; report it with the steps shown.' };
}
