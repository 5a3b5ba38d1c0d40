// Test, Apply (or Recover in recovery mode), Revert and Reset, with a confirmation wherever unsaved
// edits or saved-but-unapplied settings would be dropped or left out.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { FIELDS, type FieldId } from '../../../common/settings';
import { pendingFields, unsavedFields } from '../state/field-state';
import { useDialogStore } from '../state/store';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';

function useUnsavedFields(): FieldId[] {
  const settings = useDialogStore((s) => s.settings);
  const drafts = useDialogStore((s) => s.drafts);
  const passwordDraft = useDialogStore((s) => s.passwordDraft);
  return settings ? unsavedFields(drafts, passwordDraft, settings.pending, settings.applied) : [];
}

function FieldList({ ids }: { ids: FieldId[] }) {
  return (
    <Box component="ul" sx={{ mt: 1, mb: 0, pl: 3 }}>
      {ids.map((id) => (
        <li key={id}>
          <Typography variant="body2">{FIELDS[id].label}</Typography>
        </li>
      ))}
    </Box>
  );
}

export function ActionBar() {
  const settings = useDialogStore((s) => s.settings);
  const recoveryMode = useDialogStore((s) => s.recoveryMode);
  const running = useDialogStore((s) => s.run?.status === 'running');
  const busy = useDialogStore((s) => s.busy.revert === true || s.busy.reset === true);
  const { test, apply, recover, revert, reset } = useDialogStore.getState();
  const unsaved = useUnsavedFields();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const summaryRef = useRef<HTMLElement>(null);
  if (!settings) return null;
  const pending = pendingFields(settings.pending, settings.applied);
  const hasApplied = settings.applied !== null;

  const onApply = () => {
    const run = recoveryMode ? recover : apply;
    if (unsaved.length === 0) {
      void run();
      return;
    }
    setConfirm({
      title: recoveryMode ? 'Recover without unsaved changes?' : 'Apply without unsaved changes?',
      body: (
        <>
          <Typography variant="body2">
            These fields have changes that are not saved. {recoveryMode ? 'Recovery' : 'Apply'} uses the saved values;
            the unsaved edits stay on screen:
          </Typography>
          <FieldList ids={unsaved} />
        </>
      ),
      confirmLabel: recoveryMode ? 'Recover with saved settings' : 'Apply saved settings',
      destructive: false,
      onConfirm: () => void run(),
    });
  };

  const onRevert = () => {
    setConfirm({
      title: 'Revert to the applied settings?',
      body: (
        <>
          <Typography variant="body2">
            {hasApplied
              ? 'Pending settings go back to the applied ones. These changes will be dropped:'
              : 'Nothing has been applied yet: pending settings go back to the defaults. These changes will be dropped:'}
          </Typography>
          <FieldList ids={[...new Set([...pending, ...unsaved])]} />
        </>
      ),
      confirmLabel: 'Revert',
      destructive: true,
      onConfirm: () => void revert(),
      // Revert is disabled once nothing is left to revert: the summary says what the settings are now.
      focusAfterConfirm: () => summaryRef.current,
    });
  };

  const onReset = () => {
    setConfirm({
      title: 'Reset pending settings to the defaults?',
      body: (
        <Typography variant="body2">
          Every field of the pending settings goes back to its default, loaded files are removed from them and their
          stored passwords are cleared from the pending settings. Unsaved edits on screen are dropped. The applied
          settings stay in use until you Apply.
        </Typography>
      ),
      confirmLabel: 'Reset',
      destructive: true,
      onConfirm: () => void reset(),
      // Reset is disabled while it runs, which may outlast the dialog's closing.
      focusAfterConfirm: () => summaryRef.current,
    });
  };

  const summary = [
    unsaved.length > 0 ? `${unsaved.length} unsaved` : null,
    pending.length > 0 ? `${pending.length} saved, not applied` : null,
  ].filter((part): part is string => part !== null);

  return (
    <Box
      component="footer"
      sx={{ display: 'flex', alignItems: 'center', gap: 2, px: 3, py: 1.5, borderTop: 1, borderColor: 'divider', bgcolor: 'background.paper' }}
    >
      <Typography ref={summaryRef} tabIndex={-1} variant="body2" color="text.secondary" sx={{ flex: 1 }} role="status" data-testid="change-summary">
        {summary.length > 0 ? summary.join(' · ') : hasApplied ? 'All settings applied.' : 'Nothing applied yet.'}
      </Typography>
      <Stack direction="row" spacing={1}>
        <Button variant="outlined" onClick={() => void test()} disabled={running}>
          Test
        </Button>
        <Button variant="outlined" color="inherit" onClick={onRevert} disabled={running || busy || (pending.length === 0 && unsaved.length === 0)}>
          Revert
        </Button>
        <Button variant="outlined" color="inherit" onClick={onReset} disabled={running || busy}>
          Reset
        </Button>
        <Button variant="contained" onClick={onApply} disabled={running}>
          {recoveryMode ? 'Recover' : 'Apply'}
        </Button>
      </Stack>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </Box>
  );
}
