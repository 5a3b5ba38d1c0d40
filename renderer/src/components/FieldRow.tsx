// One scalar field: label, input, state chip and its own Save. Enter in a text input saves too: every
// text field is one line (Description included), since no field's rule allows a line break.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { FIELDS, switch01Label } from '../../../common/settings';
import { scalarFieldState, secretFieldState, type DraftValue } from '../state/field-state';
import { useDialogStore, type EditableScalarId } from '../state/store';
import { useFocusRescue } from './focus-rescue';
import { SecretTextField } from './SecretTextField';
import { StateChip } from './StateChip';

export const fieldGrid = {
  display: 'grid',
  gridTemplateColumns: '170px minmax(0, 1fr) 150px 72px',
  columnGap: 2,
  alignItems: 'start',
  py: 1.25,
} as const;

function FieldFrame(props: { inputId: string; label: string; required: boolean; children: ReactNode; chip: ReactNode; save: ReactNode }) {
  return (
    <Box sx={fieldGrid} data-testid={`row-${props.inputId.replace(/^field-/, '')}`}>
      <Typography component="label" htmlFor={props.inputId} id={`${props.inputId}-label`} sx={{ pt: 1, fontWeight: 500 }}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </Typography>
      <Box sx={{ minWidth: 0 }}>{props.children}</Box>
      <Box sx={{ pt: 0.75 }}>{props.chip}</Box>
      <Box sx={{ pt: 0.25 }}>{props.save}</Box>
    </Box>
  );
}

/** A row's own Save. It disables itself once saved, so it first arms the move of focus back to the row's input. */
function SaveButton(props: { fieldLabel: string; disabled: boolean; rescueFocus: () => void; onSave: () => void }) {
  return (
    <Button
      variant="outlined"
      size="small"
      onClick={() => {
        props.rescueFocus();
        props.onSave();
      }}
      disabled={props.disabled}
      aria-label={`Save ${props.fieldLabel}`}
    >
      Save
    </Button>
  );
}

function options(id: EditableScalarId): { value: string; label: string }[] | null {
  const field = FIELDS[id];
  switch (field.kind) {
    case 'switch01':
      return [
        { value: '1', label: switch01Label(1) },
        { value: '0', label: switch01Label(0) },
      ];
    case 'yesno':
      return [
        { value: 'true', label: 'yes' },
        { value: 'false', label: 'no' },
      ];
    case 'choice':
      return (field.choices ?? []).map((choice) => ({ value: choice, label: choice }));
    default:
      return null;
  }
}

function toDraft(id: EditableScalarId, raw: string): DraftValue {
  const kind = FIELDS[id].kind;
  if (kind === 'yesno') return raw === 'true';
  if (kind === 'switch01') return Number(raw);
  return raw;
}

export function FieldRow({ id }: { id: EditableScalarId }) {
  const field = FIELDS[id];
  const draft = useDialogStore((s) => s.drafts[id]);
  const settings = useDialogStore((s) => s.settings);
  const error = useDialogStore((s) => s.fieldErrors[id]);
  const saving = useDialogStore((s) => s.busy[`save:${id}`] === true);
  const setDraft = useDialogStore((s) => s.setDraft);
  const saveField = useDialogStore((s) => s.saveField);
  const inputRef = useRef<HTMLInputElement>(null);
  const rescueFocus = useFocusRescue(inputRef);
  if (!settings) return null;
  const state = scalarFieldState(id, draft, settings.pending, settings.applied);
  const inputId = `field-${id}`;
  const choices = options(id);
  const helpId = `${inputId}-help`;
  const canSave = state === 'unsaved' && !saving;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && canSave) void saveField(id);
  };
  return (
    <FieldFrame
      inputId={inputId}
      label={field.label}
      required={field.required && field.defaultValue === undefined}
      chip={<StateChip state={state} fieldLabel={field.label} />}
      save={<SaveButton fieldLabel={field.label} disabled={!canSave} rescueFocus={rescueFocus} onSave={() => void saveField(id)} />}
    >
      <TextField
        id={inputId}
        fullWidth
        select={choices !== null}
        inputRef={inputRef}
        value={String(draft)}
        onChange={(event) => setDraft(id, toDraft(id, event.target.value))}
        onKeyDown={choices === null ? onKeyDown : undefined}
        error={error !== undefined}
        helperText={error ?? field.help}
        placeholder={field.kind === 'host' ? 'kms.example.com, 192.0.2.10 or 2001:db8::10' : undefined}
        slotProps={{
          htmlInput: {
            'aria-describedby': helpId,
            ...(field.kind === 'integer' ? { inputMode: 'numeric' } : {}),
            // The browser counts UTF-16 units, where an emoji is two: room for the longest valid text,
            // and a little more so that the field's own check can say how much too long it is.
            ...(field.maxLength !== undefined && choices === null ? { maxLength: 2 * field.maxLength + 16 } : {}),
            spellCheck: false,
          },
          formHelperText: { id: helpId, role: error !== undefined ? 'alert' : undefined },
          input: field.unit ? { endAdornment: <Typography variant="body2" color="text.secondary">{field.unit}</Typography> } : undefined,
          // A select's combobox is a div, which <label for> does not name: point it at the label.
          select: { SelectDisplayProps: { 'aria-labelledby': `${inputId}-label`, 'aria-describedby': helpId } },
        }}
      >
        {choices?.map((choice) => (
          <MenuItem key={choice.value} value={choice.value}>
            {choice.label}
          </MenuItem>
        ))}
      </TextField>
    </FieldFrame>
  );
}

/** The KMIP password: write-only. Shows whether the keychain holds one, never the value. */
export function PasswordRow() {
  const field = FIELDS.password;
  const typed = useDialogStore((s) => s.passwordDraft);
  const settings = useDialogStore((s) => s.settings);
  const error = useDialogStore((s) => s.fieldErrors.password);
  const saving = useDialogStore((s) => s.busy['save:password'] === true);
  const clearing = useDialogStore((s) => s.busy['clearSecret:password'] === true);
  const setPasswordDraft = useDialogStore((s) => s.setPasswordDraft);
  const saveField = useDialogStore((s) => s.saveField);
  const clearSecret = useDialogStore((s) => s.clearSecret);
  const inputRef = useRef<HTMLInputElement>(null);
  const rescueFocus = useFocusRescue(inputRef);
  if (!settings) return null;
  const stored = settings.pending.password.stored;
  const canSave = typed !== '' && !saving;
  const state = secretFieldState(typed, settings.pending.password, settings.applied?.password ?? null);
  return (
    <FieldFrame
      inputId="field-password"
      label={field.label}
      required={false}
      chip={<StateChip state={state} fieldLabel={field.label} />}
      save={<SaveButton fieldLabel={field.label} disabled={!canSave} rescueFocus={rescueFocus} onSave={() => void saveField('password')} />}
    >
      <SecretTextField
        id="field-password"
        inputRef={inputRef}
        fullWidth
        autoComplete="new-password"
        value={typed}
        placeholder={stored ? '•••••••• stored in keychain' : 'not set'}
        onChange={(event) => setPasswordDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && canSave) void saveField('password');
        }}
        error={error !== undefined}
        helperText={error ?? field.help}
        slotProps={{ formHelperText: { role: error !== undefined ? 'alert' : undefined } }}
      />
      <SecretStatus
        stored={stored}
        busy={clearing}
        label="Password"
        onClear={() => {
          rescueFocus(); // Clear goes with the stored password: to the field, to type a new one
          void clearSecret('password');
        }}
      />
    </FieldFrame>
  );
}

/** "Stored in keychain" + Clear, for any write-only secret. */
export function SecretStatus(props: { stored: boolean; busy: boolean; label: string; onClear: () => void }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.5 }} data-testid="secret-status">
      <Typography variant="body2" color={props.stored ? 'success.main' : 'text.secondary'}>
        {props.stored ? 'Stored in keychain' : 'No password stored'}
      </Typography>
      {props.stored ? (
        <Button size="small" color="inherit" onClick={props.onClear} disabled={props.busy} aria-label={`Clear stored ${props.label}`}>
          Clear
        </Button>
      ) : null}
    </Box>
  );
}
