// Steps of a Test / Apply / Recover: status icon, label, time, what was found, and for a warning
// or failure the likely cause and fix.
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import Typography from '@mui/material/Typography';
import type { StepReport, StepStatus } from '../../../common/ipc';
import { FailIcon, PassIcon, PendingIcon, SkipIcon, WarnIcon } from '../icons';

const statusWord: Record<StepStatus, string> = {
  pending: 'waiting',
  running: 'running',
  pass: 'passed',
  warn: 'warning',
  fail: 'failed',
  skipped: 'skipped',
};

function StatusIcon({ status }: { status: StepStatus }) {
  const title = statusWord[status];
  switch (status) {
    case 'pass':
      return <PassIcon color="success" titleAccess={title} />;
    case 'warn':
      return <WarnIcon color="warning" titleAccess={title} />;
    case 'fail':
      return <FailIcon color="error" titleAccess={title} />;
    case 'skipped':
      return <SkipIcon color="disabled" titleAccess={title} />;
    case 'running':
      return <CircularProgress size={20} aria-label={title} />;
    case 'pending':
      return <PendingIcon color="disabled" titleAccess={title} />;
  }
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function StepList({ steps, label }: { steps: StepReport[]; label: string }) {
  return (
    <List aria-label={label} dense disablePadding data-testid="step-list">
      {steps.map((step) => (
        <ListItem key={step.id} alignItems="flex-start" divider data-testid={`step-${step.id}`} data-status={step.status} sx={{ px: 0 }}>
          <ListItemIcon sx={{ minWidth: 36, mt: 0.25 }}>
            <StatusIcon status={step.status} />
          </ListItemIcon>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 2 }}>
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {step.label}
                <Box component="span" sx={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
                  {`: ${statusWord[step.status]}`}
                </Box>
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                {formatMs(step.ms)}
              </Typography>
            </Box>
            {step.detail ? (
              <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
                {step.detail}
              </Typography>
            ) : null}
            {step.fix && (step.status === 'fail' || step.status === 'warn') ? (
              <Typography variant="body2" sx={{ mt: 0.5, color: step.status === 'fail' ? 'error.main' : 'warning.main' }} data-testid="step-fix">
                <strong>Fix: </strong>
                {step.fix}
              </Typography>
            ) : null}
          </Box>
        </ListItem>
      ))}
    </List>
  );
}
