// System Recovery Options: shown at start when the store cannot be unlocked, and on request.
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { RecoveryState } from '../../../common/ipc';
import { RestoreIcon } from '../icons';
import { useDialogStore } from '../state/store';

function StateAlert({ recovery }: { recovery: RecoveryState | null }) {
  if (!recovery) return <Alert severity="info">Checking the object store…</Alert>;
  switch (recovery.state) {
    case 'needs-recovery':
      return (
        <Alert severity="error" data-testid="recovery-state" data-state={recovery.state}>
          <AlertTitle>The object store cannot be unlocked on this machine</AlertTitle>
          {recovery.reason ?? 'Recover it from the External Key Server that holds its Admin Key.'}
          {recovery.storeId ? (
            <Typography variant="body2" sx={{ mt: 0.5 }}>
              Store {recovery.storeId}
              {recovery.adminKeyGeneration !== undefined ? ` · Admin Key generation ${recovery.adminKeyGeneration}` : ''}
            </Typography>
          ) : null}
        </Alert>
      );
    case 'no-store':
      return (
        <Alert severity="info" data-testid="recovery-state" data-state={recovery.state}>
          There is no object store on this machine yet. Recovery restores a store whose backup or data folder was copied
          here; for a first set-up, configure the key server and Apply instead.
        </Alert>
      );
    case 'ok':
      return (
        <Alert severity="success" data-testid="recovery-state" data-state={recovery.state}>
          The object store{recovery.storeId ? ` ${recovery.storeId}` : ''} unlocks normally on this machine; recovery is
          not needed.
        </Alert>
      );
  }
}

export function RecoveryScreen() {
  const recovery = useDialogStore((s) => s.recovery);
  const openRecoveryDialog = useDialogStore((s) => s.openRecoveryDialog);
  const showView = useDialogStore((s) => s.showView);
  return (
    <Paper variant="outlined" component="section" aria-labelledby="recovery-title" sx={{ p: 3, overflow: 'auto' }} data-testid="recovery-screen">
      <Stack spacing={2.5}>
        <Box>
          <Typography variant="h1" id="recovery-title">
            System Recovery Options
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
            Use these when the local unlock material is lost: a new machine, a reinstall, or a store restored from a backup.
          </Typography>
        </Box>
        <StateAlert recovery={recovery} />
        <Card variant="outlined">
          <CardContent sx={{ display: 'flex', gap: 2 }}>
            <RestoreIcon color="primary" sx={{ fontSize: 40 }} aria-hidden />
            <Box>
              <Typography variant="h2" component="h2">
                Recovery from External Key Server
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
                Opens the KMIP settings in recovery mode. Enter the settings and credentials of the key server, then
                Recover: kmip-console locates the Admin Key recorded in the store header, fetches it, unwraps the data
                key, checks the store&apos;s integrity and re-establishes the local unlock. Nothing is written unless every
                step succeeds.
              </Typography>
            </Box>
          </CardContent>
          <CardActions sx={{ justifyContent: 'flex-end', px: 2, pb: 2 }}>
            <Button variant="contained" onClick={openRecoveryDialog}>
              Recovery from External Key Server
            </Button>
          </CardActions>
        </Card>
        <Box>
          <Button onClick={() => showView('settings')}>Back to settings</Button>
        </Box>
      </Stack>
    </Paper>
  );
}
