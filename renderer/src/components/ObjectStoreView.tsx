// The object store (PRODUCT.md §4): list, add a secret, generate an AES key, delete, back up.
// Values go to main once and never come back to the renderer. What is typed in the forms lives in the
// dialog store: it stays while another view is shown, and the leave guard sees it.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IpcError, StoreObjectSummary } from '../../../common/ipc';
import { objectNameProblem } from '../../../common/object-name';
import { secretValueProblem } from '../../../common/object-value';
import { invoke } from '../api';
import { useDialogStore, type ObjectForms } from '../state/store';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog';
import { SecretTextField } from './SecretTextField';
import { useOnWindowReturn } from './window-return';

export function ObjectStoreView() {
  const [objects, setObjects] = useState<StoreObjectSummary[] | null>(null);
  /** why the last action (add, generate, delete, back up) failed */
  const [error, setError] = useState<IpcError | null>(null);
  /** why the list cannot be read: shown beside an action's error, never in its place */
  const [listError, setListError] = useState<IpcError | null>(null);
  /** the latest list request: an earlier one answering after it is dropped */
  const latestList = useRef(0);
  const [notice, setNotice] = useState<string | null>(null);
  const { secretName, secretValue, keyName, keySize } = useDialogStore((s) => s.objectForms);
  const setObjectForms = useDialogStore((s) => s.setObjectForms);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const [busy, setBusy] = useState(false);

  // An empty field is not flagged: the disabled button already says a name is needed.
  const secretNameProblem = secretName.trim() === '' ? null : objectNameProblem(secretName.trim());
  const keyNameProblem = keyName.trim() === '' ? null : objectNameProblem(keyName.trim());
  const valueProblem = secretValueProblem(secretValue);

  /**
   * The list as stored now; `keepShownError`: an action's error stays shown beside it. Only the latest request's
   * answer is shown: reads on focus and after an action may answer out of order (each waits for the OS
   * keychain), and an earlier read would show the store without an object the notice says was just added.
   */
  const refresh = useCallback(async (keepShownError = false) => {
    const request = ++latestList.current;
    const result = await invoke('store:list', {});
    if (request !== latestList.current) return;
    if (!keepShownError) setError(null);
    if (result.ok) {
      setObjects(result.value);
      setListError(null);
    } else {
      setObjects(null);
      setListError(result.error);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  // Objects another window or a kmip-console command added or deleted meanwhile.
  useOnWindowReturn(useCallback(() => void refresh(true), [refresh]));

  async function act(run: () => Promise<{ ok: true; text: string } | { ok: false; error: IpcError }>): Promise<void> {
    setBusy(true);
    const outcome = await run();
    setBusy(false);
    // Only this action's outcome is shown: an earlier one's next to it would read as being about it.
    if (!outcome.ok) {
      setNotice(null);
      setError(outcome.error);
      // A refusal may come from a change made elsewhere (an object deleted meanwhile): the list shows the store as it is now.
      await refresh(true);
      return;
    }
    setError(null);
    setNotice(outcome.text);
    await refresh();
  }

  const addSecret = () =>
    act(async () => {
      const result = await invoke('store:add', { name: secretName.trim(), value: secretValue });
      if (!result.ok) return result;
      setObjectForms({ secretName: '', secretValue: '' });
      return { ok: true, text: `Secret "${result.value.name}" added.` };
    });

  const generateKey = () =>
    act(async () => {
      const result = await invoke('store:generate', { name: keyName.trim(), algorithm: 'AES', sizeBits: keySize });
      if (!result.ok) return result;
      setObjectForms({ keyName: '' });
      return { ok: true, text: `AES-${keySize} key "${result.value.name}" generated.` };
    });

  const backup = () =>
    act(async () => {
      const result = await invoke('store:backup', {});
      if (!result.ok) return result;
      return { ok: true, text: result.value.canceled ? 'Backup canceled.' : `Backup written to ${result.value.fileName} (${result.value.bytes.toLocaleString()} bytes).` };
    });

  const askDelete = (object: StoreObjectSummary) =>
    setConfirm({
      title: `Delete "${object.name}"?`,
      body: <Typography variant="body2">The object is removed from the store. Backups made before keep it.</Typography>,
      confirmLabel: 'Delete',
      destructive: true,
      onConfirm: () =>
        void act(async () => {
          const result = await invoke('store:delete', { id: object.id });
          return result.ok ? { ok: true, text: `"${object.name}" deleted.` } : result;
        }),
      focusAfterConfirm: () => tableRef.current,
    });

  return (
    <Paper variant="outlined" component="section" aria-labelledby="store-title" sx={{ p: 3, overflow: 'auto' }} data-testid="store-view">
      <Stack spacing={2.5}>
        <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2 }}>
          <Box sx={{ flex: 1 }}>
            <Typography variant="h1" id="store-title">
              Object store
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
              Secrets and keys encrypted under the store&apos;s data key (AES-256-GCM). Values are written once and never shown again.
            </Typography>
          </Box>
          <Button variant="outlined" onClick={() => void backup()} disabled={busy || !objects}>
            Back up…
          </Button>
        </Box>
        {error ? (
          <Alert severity="error" role="alert" onClose={() => setError(null)} data-testid="store-error">
            {error.message}
          </Alert>
        ) : null}
        {listError && listError.message !== error?.message ? (
          <Alert severity="error" role="alert" data-testid="store-list-error">
            {listError.message}
          </Alert>
        ) : null}
        {notice ? (
          <Alert severity="success" onClose={() => setNotice(null)} data-testid="store-notice">
            {notice}
          </Alert>
        ) : null}
        {objects ? (
          <Table ref={tableRef} tabIndex={-1} size="small" aria-label="Objects in the store" data-testid="store-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>Id</TableCell>
                <TableCell align="right">
                  <span style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>Actions</span>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {objects.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={5}>
                    <Typography variant="body2" color="text.secondary">
                      The store is empty.
                    </Typography>
                  </TableCell>
                </TableRow>
              ) : (
                objects.map((object) => (
                  <TableRow key={object.id} data-testid="store-row">
                    {/* A name may be 256 characters without a space: it wraps, so Delete stays on screen. */}
                    <TableCell sx={{ overflowWrap: 'anywhere', minWidth: 160 }}>{object.name}</TableCell>
                    <TableCell>{object.kind === 'key' ? `${object.sizeBits}-bit key` : 'secret'}</TableCell>
                    <TableCell>{object.createdAt.slice(0, 16).replace('T', ' ')} UTC</TableCell>
                    <TableCell sx={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: '0.8rem' }}>{object.id}</TableCell>
                    <TableCell align="right">
                      <Button size="small" color="error" onClick={() => askDelete(object)} aria-label={`Delete ${object.name}`} disabled={busy}>
                        Delete
                      </Button>
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        ) : null}
        {objects ? (
          <Box sx={{ display: 'grid', gridTemplateColumns: { md: '1fr 1fr' }, gap: 2 }}>
            <Paper variant="outlined" sx={{ p: 2 }} component="form" aria-label="Add a secret" onSubmit={(event) => { event.preventDefault(); void addSecret(); }}>
              <Typography variant="h3" component="h2" sx={{ mb: 1.5 }}>
                Add a secret
              </Typography>
              <Stack spacing={1.5}>
                <TextField label="Name" value={secretName} onChange={(event) => setObjectForms({ secretName: event.target.value })} error={secretNameProblem !== null} helperText={secretNameProblem ?? ' '} />
                <SecretTextField label="Value" autoComplete="new-password" value={secretValue} onChange={(event) => setObjectForms({ secretValue: event.target.value })} error={valueProblem !== null} helperText={valueProblem ?? ' '} />
                <Box>
                  <Button type="submit" variant="contained" disabled={busy || secretName.trim() === '' || secretNameProblem !== null || secretValue === '' || valueProblem !== null}>
                    Add secret
                  </Button>
                </Box>
              </Stack>
            </Paper>
            <Paper variant="outlined" sx={{ p: 2 }} component="form" aria-label="Generate a key" onSubmit={(event) => { event.preventDefault(); void generateKey(); }}>
              <Typography variant="h3" component="h2" sx={{ mb: 1.5 }}>
                Generate an AES key
              </Typography>
              <Stack spacing={1.5}>
                <TextField label="Key name" value={keyName} onChange={(event) => setObjectForms({ keyName: event.target.value })} error={keyNameProblem !== null} helperText={keyNameProblem ?? ' '} />
                <TextField select label="Size" value={keySize} onChange={(event) => setObjectForms({ keySize: Number(event.target.value) as ObjectForms['keySize'] })}>
                  <MenuItem value={128}>128 bits</MenuItem>
                  <MenuItem value={192}>192 bits</MenuItem>
                  <MenuItem value={256}>256 bits</MenuItem>
                </TextField>
                <Box>
                  <Button type="submit" variant="contained" disabled={busy || keyName.trim() === '' || keyNameProblem !== null}>
                    Generate key
                  </Button>
                </Box>
              </Stack>
            </Paper>
          </Box>
        ) : null}
      </Stack>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </Paper>
  );
}
