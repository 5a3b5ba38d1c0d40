// Shows a Test, Apply or Recover while it runs (steps arrive as progress events) and its result.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { RunKind, UnsavedValuesTested } from '../../../common/ipc';
import { FIELDS } from '../../../common/settings';
import { useDialogStore, type RunState } from '../state/store';
import { StepList } from './StepList';

const titles: Record<RunKind, string> = {
  test: 'Connection test',
  apply: 'Apply settings',
  recover: 'Recovery from External Key Server',
};

/** What stops a run, as the button and the progress line say it. */
const cancelWords: Record<RunKind, { button: string; stopping: string; tooLate: string; canceled: string }> = {
  test: { button: 'Cancel test', stopping: 'Stopping the test…', tooLate: '', canceled: 'Test canceled at the step shown below. Nothing was changed.' },
  apply: {
    button: 'Cancel apply',
    stopping: 'Stopping Apply…',
    // The step says whether a key from this attempt may be left on the key server.
    canceled: 'Apply canceled at the step shown below. The applied settings and the store are unchanged.',
    tooLate: 'Apply is writing the store and can no longer stop: it ends in a moment, with the new settings applied or none of them.',
  },
  recover: {
    button: 'Cancel recovery',
    stopping: 'Stopping the recovery…',
    canceled: 'Recovery canceled at the step shown below. Nothing was changed.',
    tooLate: 'The recovery is writing the store and can no longer stop: it ends in a moment.',
  },
};

function outcome(run: RunState): { severity: 'success' | 'warning' | 'error' | 'info'; text: string } {
  if (run.status === 'running') {
    if (run.canceled) return { severity: 'info', text: cancelWords[run.kind].stopping };
    if (run.cancelRefused) return { severity: 'info', text: cancelWords[run.kind].tooLate };
    return { severity: 'info', text: `${titles[run.kind]} in progress…` };
  }
  if (run.canceled && run.status === 'failed') return { severity: 'warning', text: cancelWords[run.kind].canceled };
  if (run.error) return { severity: 'error', text: run.error.message };
  const warned = run.steps.some((step) => step.status === 'warn');
  switch (run.kind) {
    case 'test':
      if (run.status === 'failed') return { severity: 'error', text: 'The test found a problem: see the failed step and its fix below.' };
      return warned
        ? { severity: 'warning', text: 'The server is reachable and usable, with warnings: review them below.' }
        : { severity: 'success', text: 'All checks passed: the server is reachable and offers what kmip-console needs.' };
    case 'apply':
      return {
        severity: 'success',
        text: `Settings applied. Admin Key generation ${run.apply?.adminKeyGeneration ?? '?'} is registered on the server as "${run.apply?.adminKeyName ?? '?'}".`,
      };
    case 'recover': {
      const recovered = `Store ${run.recover?.storeId ?? ''} recovered with Admin Key generation ${run.recover?.adminKeyGeneration ?? '?'}: ${run.recover?.objectCount ?? 0} object(s), local unlock re-established.`;
      // A warning here is about the Admin Key itself (no longer Active on the key server): it must not read as all clear.
      return warned ? { severity: 'warning', text: `${recovered} Read the warning below before going on.` } : { severity: 'success', text: recovered };
    }
  }
}

function TestSummary({ run }: { run: RunState }) {
  const report = run.test;
  if (!report) return null;
  const facts: [string, string][] = [];
  if (report.negotiatedVersion) facts.push(['KMIP version', report.negotiatedVersion]);
  if (report.tls) facts.push(['TLS', `${report.tls.protocol}, ${report.tls.cipher}`]);
  if (report.tls) facts.push(['Server chain', report.tls.serverChain.join(' ← ') || '—']);
  if (report.serverVendor) facts.push(['Server vendor', report.serverVendor]);
  facts.push(['Total time', `${(report.totalMs / 1000).toFixed(2)} s`]);
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '130px minmax(0, 1fr)', columnGap: 2, rowGap: 0.25, my: 1.5 }} data-testid="test-summary">
      {facts.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {label}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** Local time as HH:MM. */
function hoursMinutes(iso: string): string {
  const time = new Date(iso);
  return `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
}

/** A Test started before this page (a reload, a reopened window) ran with values this page does not show. */
function UnsavedValuesNote({ tested }: { tested: UnsavedValuesTested }) {
  const fields = tested.fields.map((id) => FIELDS[id].label).join(', ');
  return (
    <Alert severity="info" sx={{ mt: 1.5 }} data-testid="run-unsaved-values">
      This Test ran with the values on screen at {hoursMinutes(tested.at)}, not saved then ({fields}); those unsaved values are no longer
      shown: the fields show the saved ones.
    </Alert>
  );
}

export function RunDialog() {
  const run = useDialogStore((s) => s.run);
  const closeRun = useDialogStore((s) => s.closeRun);
  const cancelRun = useDialogStore((s) => s.cancelRun);
  if (!run) return null;
  const running = run.status === 'running';
  const result = outcome(run);
  return (
    <Dialog open onClose={running ? undefined : closeRun} aria-labelledby="run-title" maxWidth="md" fullWidth data-testid={`run-${run.kind}`}>
      <DialogTitle id="run-title">{titles[run.kind]}</DialogTitle>
      {/* Steps and fixes may outgrow the window: the content then scrolls, and takes the keyboard focus to scroll by keys. */}
      <DialogContent tabIndex={0} role="region" aria-label={`${titles[run.kind]}: outcome and steps`}>
        {running ? <LinearProgress aria-label={`${titles[run.kind]} in progress`} sx={{ mb: 2 }} /> : null}
        <Alert severity={result.severity} role="status" data-testid="run-outcome" data-status={run.status}>
          {result.text}
        </Alert>
        {run.kind === 'test' && run.unsavedValues ? <UnsavedValuesNote tested={run.unsavedValues} /> : null}
        {run.kind === 'test' ? <TestSummary run={run} /> : null}
        {run.steps.length > 0 ? (
          <Box sx={{ mt: 1 }}>
            <StepList steps={run.steps} label={`${titles[run.kind]} steps`} />
          </Box>
        ) : running ? (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
            Starting…
          </Typography>
        ) : null}
      </DialogContent>
      <DialogActions>
        {running ? (
          <Button onClick={() => void cancelRun()} disabled={run.canceled === true || run.cancelRefused === true}>
            {cancelWords[run.kind].button}
          </Button>
        ) : null}
        <Button onClick={closeRun} disabled={running} variant="contained" autoFocus={!running}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
