// System Recovery Options: shown at start when the store cannot be unlocked, and on request.
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ChosenBackup, RecoveryState } from '../../../common/ipc';
import { FileIcon, RestoreIcon } from '../icons';
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
      return recovery.reason ? (
        <Alert severity="warning" data-testid="recovery-state" data-state={recovery.state}>
          <AlertTitle>The object store is missing</AlertTitle>
          {recovery.reason}
        </Alert>
      ) : (
        <Alert severity="info" data-testid="recovery-state" data-state={recovery.state}>
          There is no object store on this machine yet. To bring one here, restore it from a backup file below; for a
          first set-up, configure the key server and Apply instead.
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

/** What the chosen file holds and, when the data folder has a store, what restoring it replaces. */
function ChosenBackupSummary({ backup }: { backup: ChosenBackup }) {
  const replaceStoreConfirmed = useDialogStore((s) => s.replaceStoreConfirmed);
  const confirmReplaceStore = useDialogStore((s) => s.confirmReplaceStore);
  const { replaces } = backup;
  return (
    <Box data-testid="chosen-backup" data-store-id={backup.storeId}>
      <Typography variant="body2" sx={{ wordBreak: 'break-all' }}>
        <strong>{backup.fileName}</strong>
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {backup.kind === 'backup' ? 'Backup of store' : 'Store file'} {backup.storeId} · {backup.objectCount} object(s) · Admin Key
        generation {backup.adminKeyGeneration} &quot;{backup.adminKeyName}&quot; on {backup.appliedOn}
      </Typography>
      {replaces ? (
        <Alert severity="warning" sx={{ mt: 1 }} data-testid="backup-replaces">
          {'damaged' in replaces
            ? `The store in this data folder is damaged and cannot be opened: ${replaces.problem} Restoring puts the backup's ${backup.objectCount} object(s) in its place.`
            : replaces.storeId === backup.storeId
              ? `This data folder holds the same store with ${replaces.objectCount} object(s). Restoring puts the backup's ${backup.objectCount} object(s) in its place: objects added since the backup was made are lost.`
              : `This data folder holds another store, ${replaces.storeId}, with ${replaces.objectCount} object(s). Restoring replaces it; back it up first if you may need it.`}
          <FormControlLabel
            sx={{ display: 'flex', mt: 0.5 }}
            control={<Checkbox checked={replaceStoreConfirmed} onChange={(event) => confirmReplaceStore(event.target.checked)} />}
            label="Replace the store in this data folder"
          />
        </Alert>
      ) : null}
    </Box>
  );
}

function RestoreFromBackupCard() {
  const chosenBackup = useDialogStore((s) => s.chosenBackup);
  const backupError = useDialogStore((s) => s.backupError);
  const replaceStoreConfirmed = useDialogStore((s) => s.replaceStoreConfirmed);
  const choosing = useDialogStore((s) => s.busy.chooseBackup === true);
  const chooseBackup = useDialogStore((s) => s.chooseBackup);
  const openRecoveryDialog = useDialogStore((s) => s.openRecoveryDialog);
  const canRestore = chosenBackup !== null && (chosenBackup.replaces === null || replaceStoreConfirmed);
  return (
    <Card variant="outlined">
      <CardContent sx={{ display: 'flex', gap: 2 }}>
        <FileIcon color="primary" sx={{ fontSize: 40 }} aria-hidden />
        <Stack spacing={1.5} sx={{ flex: 1, minWidth: 0 }}>
          <Box>
            <Typography variant="h2" component="h2">
              Restore from a backup file
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              On a new machine or after a reinstall: choose a backup made with Back up (or kmip-console store backup),
              then enter the settings of the key server that holds its Admin Key and Recover. The backup is opened with
              that Admin Key and becomes this machine&apos;s store, with a new local unlock.
            </Typography>
          </Box>
          {backupError ? (
            <Alert severity="error" data-testid="backup-error">
              {backupError.message}
            </Alert>
          ) : null}
          {chosenBackup ? <ChosenBackupSummary backup={chosenBackup} /> : null}
        </Stack>
      </CardContent>
      <CardActions sx={{ justifyContent: 'flex-end', px: 2, pb: 2, gap: 1 }}>
        <Button onClick={() => void chooseBackup()} disabled={choosing}>
          {chosenBackup ? 'Choose another file…' : 'Choose backup file…'}
        </Button>
        <Button variant="contained" disabled={!canRestore} onClick={() => openRecoveryDialog('backup')}>
          Restore this backup
        </Button>
      </CardActions>
    </Card>
  );
}

export function RecoveryScreen() {
  const recovery = useDialogStore((s) => s.recovery);
  const openRecoveryDialog = useDialogStore((s) => s.openRecoveryDialog);
  const showView = useDialogStore((s) => s.showView);
  // Recovery in place needs a readable store file; without one, or with a damaged one, only a backup can help.
  const noStore = recovery?.state === 'no-store';
  const inPlaceImpossible = noStore || recovery?.damaged === true;
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
                key, checks the store&apos;s integrity and re-establishes the local unlock; nothing is written before that last
                step. The settings used are then applied.
              </Typography>
            </Box>
          </CardContent>
          <CardActions sx={{ justifyContent: 'flex-end', px: 2, pb: 2, gap: 1 }}>
            {inPlaceImpossible ? (
              <Typography variant="body2" color="text.secondary" id="no-store-to-recover">
                {noStore
                  ? 'There is no store in this data folder to recover: restore a backup file below.'
                  : 'The store in this data folder is damaged, and recovery reads it: restore a backup file below.'}
              </Typography>
            ) : null}
            <Button
              variant="contained"
              disabled={inPlaceImpossible}
              aria-describedby={inPlaceImpossible ? 'no-store-to-recover' : undefined}
              onClick={() => openRecoveryDialog('store')}
            >
              Recovery from External Key Server
            </Button>
          </CardActions>
        </Card>
        <RestoreFromBackupCard />
        <Box>
          <Button onClick={() => showView('settings')}>Back to settings</Button>
        </Box>
      </Stack>
    </Paper>
  );
}
