// The status line under every view: where the app's random generator got key-server entropy from,
// at start or at the latest Apply (PRODUCT.md §3 "Entropy at start": the app reports it and carries on).
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { EntropyOutcome } from '../../../common/ipc';
import { useDialogStore } from '../state/store';

/** A failed fetch is worth a second look; every other outcome is normal operation. (warning.main is too light for small text.) */
const colorOf: Record<EntropyOutcome, 'success.main' | 'warning.dark' | 'text.secondary'> = {
  mixed: 'success.main',
  failed: 'warning.dark',
  unavailable: 'text.secondary',
  disabled: 'text.secondary',
  'no-settings': 'text.secondary',
};

export function EntropyStatusLine() {
  const entropy = useDialogStore((s) => s.entropy);
  const text = entropy
    ? `Entropy ${entropy.by === 'start' ? 'at start' : 'at Apply'} (${new Date(entropy.at).toLocaleTimeString()}): ${entropy.detail}`
    : 'Entropy at start: asking the key server…';
  return (
    <Box component="footer" sx={{ px: 2, py: 0.75, borderTop: 1, borderColor: 'divider' }}>
      <Typography
        variant="body2"
        role="status"
        color={entropy ? colorOf[entropy.status] : 'text.secondary'}
        data-testid="entropy-status"
        data-status={entropy?.status ?? 'checking'}
        data-by={entropy?.by}
      >
        {text}
      </Typography>
    </Box>
  );
}
