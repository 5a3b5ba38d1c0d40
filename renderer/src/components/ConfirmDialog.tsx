import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import type { ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  destructive: boolean;
  onConfirm: () => void;
}

/** Asks before an action that would drop unsaved or unapplied data. Cancel is the default focus. */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  return (
    <Dialog open={request !== null} onClose={onClose} aria-labelledby="confirm-title" maxWidth="sm" fullWidth>
      {request ? (
        <>
          <DialogTitle id="confirm-title">{request.title}</DialogTitle>
          <DialogContent>{request.body}</DialogContent>
          <DialogActions>
            <Button onClick={onClose} autoFocus>
              Cancel
            </Button>
            <Button
              variant="contained"
              color={request.destructive ? 'error' : 'primary'}
              onClick={() => {
                onClose();
                request.onConfirm();
              }}
            >
              {request.confirmLabel}
            </Button>
          </DialogActions>
        </>
      ) : null}
    </Dialog>
  );
}
