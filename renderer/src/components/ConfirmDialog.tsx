import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { useRef, type ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  destructive: boolean;
  onConfirm: () => void;
  /**
   * Where the keyboard focus goes once the dialog has closed after a confirm, instead of back to the
   * button that opened it, which the action disables or removes (Revert once reverted, Delete with its row).
   */
  focusAfterConfirm?: () => HTMLElement | null;
}

function canTakeFocus(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isConnected && !(element instanceof HTMLButtonElement && element.disabled);
}

/** Asks before an action that would drop unsaved or unapplied data. Cancel is the default focus. */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  // Focus goes back when the closing transition ends, to the opener or, after a confirm, the request's choice;
  // never to <body>, where MUI's own restore leaves it when the opener is disabled or gone.
  const opener = useRef<Element | null>(null);
  const afterConfirm = useRef<(() => HTMLElement | null) | null>(null);
  const shown = useRef<ConfirmRequest | null>(null);
  // Read while rendering the opening: by any effect, the dialog's Cancel has taken the focus.
  if (request !== shown.current) {
    if (request !== null && shown.current === null) {
      opener.current = document.activeElement;
      afterConfirm.current = null;
    }
    shown.current = request;
  }
  const returnFocus = (): void => {
    const target = [afterConfirm.current?.() ?? null, opener.current].find(canTakeFocus);
    target?.focus();
    opener.current = null;
  };
  return (
    <Dialog
      open={request !== null}
      onClose={onClose}
      aria-labelledby="confirm-title"
      maxWidth="sm"
      fullWidth
      disableRestoreFocus
      slotProps={{ transition: { onExited: returnFocus } }}
    >
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
                afterConfirm.current = request.focusAfterConfirm ?? null;
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
