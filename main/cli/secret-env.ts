// The documented environment variables that may carry secrets to the CLI (see SECRET_SOURCES).
import type { FileSlotId } from '../../common/pki-types';

export const PASSWORD_ENV = 'KMIP_CONSOLE_PASSWORD';
export const SECRET_VALUE_ENV = 'KMIP_CONSOLE_SECRET_VALUE';

export const FILE_PASSWORD_ENV: Readonly<Record<FileSlotId, string>> = {
  clientCert: 'KMIP_CONSOLE_CLIENT_CERT_PASSWORD',
  clientKey: 'KMIP_CONSOLE_CLIENT_KEY_PASSWORD',
  caCert: 'KMIP_CONSOLE_CA_CERT_PASSWORD',
  serverCert: 'KMIP_CONSOLE_SERVER_CERT_PASSWORD',
  serverKey: 'KMIP_CONSOLE_SERVER_KEY_PASSWORD',
};
