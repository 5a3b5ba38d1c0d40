// What a loaded file holds: per certificate subject, issuer, validity, SHA-256 fingerprint and key
// type; the private key's type; and the warnings the check produced.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Fragment } from 'react';
import type { CertificateDetails, KeyDetails } from '../../../common/pki-types';
import type { StoredFile } from '../../../common/settings';

function keyType(key: KeyDetails): string {
  const name = key.type.toUpperCase();
  if (key.curve) return `${name} ${key.curve}`;
  return key.sizeBits ? `${name} ${key.sizeBits}-bit` : name;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function Row({ label, children, mono = false }: { label: string; children: string; mono?: boolean }) {
  return (
    <>
      <Typography variant="body2" color="text.secondary" component="dt">
        {label}
      </Typography>
      <Typography
        variant="body2"
        component="dd"
        sx={{ m: 0, minWidth: 0, overflowWrap: 'anywhere', ...(mono ? { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: '0.8rem' } : {}) }}
      >
        {children}
      </Typography>
    </>
  );
}

const detailsGrid = { display: 'grid', gridTemplateColumns: '150px minmax(0, 1fr)', columnGap: 2, rowGap: 0.5, m: 0 } as const;

function Certificate({ cert, index, total }: { cert: CertificateDetails; index: number; total: number }) {
  const title = total > 1 ? `Certificate ${index + 1} of ${total}` : 'Certificate';
  return (
    <Box component="section" aria-label={title}>
      <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
        {title}
        {cert.isCa ? ' · CA' : ''}
        {cert.selfSigned ? ' · self-signed' : ''}
      </Typography>
      <Box component="dl" sx={detailsGrid}>
        <Row label="Subject">{cert.subject}</Row>
        <Row label="Issuer">{cert.issuer}</Row>
        <Row label="Valid">{`${day(cert.notBefore)} to ${day(cert.notAfter)}`}</Row>
        <Row label="SHA-256" mono>
          {cert.sha256Fingerprint}
        </Row>
        <Row label="Key type">{keyType(cert.publicKey)}</Row>
        <Row label="Key usage">{cert.extendedKeyUsage ? cert.extendedKeyUsage.join(', ') : 'any (no extended key usage)'}</Row>
        {cert.subjectAltName ? <Row label="Alt. names">{cert.subjectAltName}</Row> : null}
      </Box>
    </Box>
  );
}

export function FileDetails({ file }: { file: StoredFile }) {
  const { details } = file;
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="file-details" aria-label="Loaded file">
      <Stack spacing={1.5}>
        <Typography variant="body2">
          <strong>{details.sourceName}</strong> · {details.format.toUpperCase()} · {details.sizeBytes.toLocaleString()} bytes
          {details.encrypted ? ' · password protected' : ''} · loaded {file.loadedAt.slice(0, 16).replace('T', ' ')} UTC
        </Typography>
        {details.warnings.map((warning) => (
          <Alert key={warning.code} severity="warning" data-testid="file-warning">
            {warning.message}
          </Alert>
        ))}
        {details.certificates.map((cert, index) => (
          <Fragment key={cert.sha256Fingerprint}>
            {index > 0 ? <Divider /> : null}
            <Certificate cert={cert} index={index} total={details.certificates.length} />
          </Fragment>
        ))}
        {details.privateKey ? (
          <>
            {details.certificates.length > 0 ? <Divider /> : null}
            <Box component="section" aria-label="Private key">
              <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
                Private key
              </Typography>
              <Box component="dl" sx={detailsGrid}>
                <Row label="Key type">{keyType(details.privateKey)}</Row>
                <Row label="Public key SHA-256" mono>
                  {details.privateKey.publicKeySha256}
                </Row>
              </Box>
            </Box>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
