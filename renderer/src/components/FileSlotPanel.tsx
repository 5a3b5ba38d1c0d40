// A file sub-tab (Cert, Key, CA Trusted Cert, Server Cert, Server Key): Format, Password, Load
// File (native picker in main), Clear, and what was loaded.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useRef } from 'react';
import type { FileFormat, FileSlotId } from '../../../common/pki-types';
import { FIELDS, filePasswordSecretId } from '../../../common/settings';
import { fileSlotState } from '../state/field-state';
import { useDialogStore } from '../state/store';
import { FileDetails } from './FileDetails';
import { useFocusRescue } from './focus-rescue';
import { SecretStatus } from './FieldRow';
import { SecretTextField } from './SecretTextField';
import { StateChip } from './StateChip';

/** Key slots and the certificate slot their key must match. */
const certificateSlotOf: Partial<Record<FileSlotId, FileSlotId>> = { clientKey: 'clientCert', serverKey: 'serverCert' };

/** For a key slot: does the loaded key belong to the loaded certificate? (Checked again at Apply.) */
function KeyMatch({ slot }: { slot: FileSlotId }) {
  const certSlot = certificateSlotOf[slot];
  const keyHash = useDialogStore((s) => s.settings?.pending[slot]?.details.privateKey?.publicKeySha256);
  const cert = useDialogStore((s) => (certSlot ? s.settings?.pending[certSlot]?.details.certificates[0] : undefined));
  if (!certSlot || !keyHash || !cert) return null;
  const label = FIELDS[certSlot].label;
  return cert.publicKeySha256 === keyHash ? (
    <Alert severity="success" data-testid="key-match">
      This key belongs to the loaded {label} ({cert.subject}).
    </Alert>
  ) : (
    <Alert severity="error" data-testid="key-match">
      This key does not belong to the loaded {label} ({cert.subject}): load the key issued with that certificate.
    </Alert>
  );
}

export function FileSlotPanel({ slot }: { slot: FileSlotId }) {
  const field = FIELDS[slot];
  const settings = useDialogStore((s) => s.settings);
  const form = useDialogStore((s) => s.fileForms[slot]);
  const error = useDialogStore((s) => s.fieldErrors[slot]);
  const loading = useDialogStore((s) => s.busy[`load:${slot}`] === true);
  const clearing = useDialogStore((s) => s.busy[`clear:${slot}`] === true);
  const clearingPassword = useDialogStore((s) => s.busy[`clearSecret:${filePasswordSecretId(slot)}`] === true);
  const setFileForm = useDialogStore((s) => s.setFileForm);
  const loadFile = useDialogStore((s) => s.loadFile);
  const clearFile = useDialogStore((s) => s.clearFile);
  const clearSecret = useDialogStore((s) => s.clearSecret);
  const loadButtonRef = useRef<HTMLButtonElement>(null);
  const rescueFocus = useFocusRescue(loadButtonRef);
  const passwordRef = useRef<HTMLInputElement>(null);
  const rescueFocusToPassword = useFocusRescue(passwordRef);
  if (!settings) return null;
  const stored = settings.pending[slot];
  const state = fileSlotState(slot, settings.pending, settings.applied);
  const idPrefix = `file-${slot}`;
  return (
    <Stack spacing={2} data-testid={`slot-${slot}`}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
        {/* Under the dialog's h1: an h2 in the outline, set in the h3 style of the dialog's small titles. */}
        <Typography variant="h3" component="h2">
          {field.label}
        </Typography>
        <StateChip state={state} fieldLabel={field.label} />
      </Box>
      <Typography variant="body2" color="text.secondary">
        {field.help} Loading saves the file into the pending settings: it is checked at once, offline, and copied into
        the app&apos;s data folder.
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: '170px minmax(0, 1fr)', columnGap: 2, rowGap: 1.5, alignItems: 'center' }}>
        <Typography component="label" htmlFor={`${idPrefix}-name`} sx={{ fontWeight: 500 }}>
          File
        </Typography>
        <TextField
          id={`${idPrefix}-name`}
          value={stored ? stored.details.sourceName : ''}
          placeholder="no file loaded"
          slotProps={{ htmlInput: { readOnly: true } }}
          fullWidth
        />
        <Typography component="label" htmlFor={`${idPrefix}-format`} id={`${idPrefix}-format-label`} sx={{ fontWeight: 500 }}>
          Format
        </Typography>
        <TextField
          id={`${idPrefix}-format`}
          select
          value={form.format}
          onChange={(event) => setFileForm(slot, { format: event.target.value as FileFormat })}
          slotProps={{ select: { SelectDisplayProps: { 'aria-labelledby': `${idPrefix}-format-label` } } }}
          sx={{ maxWidth: 240 }}
        >
          <MenuItem value="pem">PEM</MenuItem>
          <MenuItem value="p12">P12 (PKCS#12)</MenuItem>
        </TextField>
        <Typography component="label" htmlFor={`${idPrefix}-password`} sx={{ fontWeight: 500 }}>
          Password
        </Typography>
        <Box>
          <SecretTextField
            id={`${idPrefix}-password`}
            inputRef={passwordRef}
            autoComplete="new-password"
            value={form.password}
            onChange={(event) => setFileForm(slot, { password: event.target.value })}
            placeholder={stored?.password.stored ? '•••••••• stored in keychain' : 'only for an encrypted file'}
            helperText="Used to open the file on Load File, then stored in the OS keychain."
            sx={{ maxWidth: 420 }}
            fullWidth
          />
          <SecretStatus
            stored={stored?.password.stored ?? false}
            busy={clearingPassword}
            label={`${field.label} password`}
            onClear={() => {
              rescueFocusToPassword();
              void clearSecret(filePasswordSecretId(slot));
            }}
          />
        </Box>
        <span />
        <Stack direction="row" spacing={1}>
          <Button
            ref={loadButtonRef}
            variant="contained"
            onClick={() => {
              rescueFocus();
              void loadFile(slot);
            }}
            disabled={loading}
            aria-label={`Load File for ${field.label}`}
          >
            {loading ? 'Loading…' : 'Load File…'}
          </Button>
          <Button variant="outlined" color="inherit" onClick={() => {
              rescueFocus();
              void clearFile(slot);
            }}
            disabled={!stored || clearing}
            aria-label={`Clear ${field.label}`}
          >
            Clear
          </Button>
        </Stack>
      </Box>
      {error ? (
        <Alert severity="error" role="alert" data-testid={`slot-error-${slot}`}>
          {error}
        </Alert>
      ) : null}
      <KeyMatch slot={slot} />
      {stored ? <FileDetails file={stored} /> : null}
    </Stack>
  );
}
