import Chip from '@mui/material/Chip';
import type { FieldState } from '../state/field-state';

const presentation: Record<FieldState, { label: string; color: 'warning' | 'info' | 'success' | 'default'; variant: 'filled' | 'outlined' }> = {
  unsaved: { label: 'Unsaved', color: 'warning', variant: 'outlined' },
  pending: { label: 'Saved · not applied', color: 'info', variant: 'outlined' },
  applied: { label: 'Applied', color: 'success', variant: 'outlined' },
  default: { label: 'Default', color: 'default', variant: 'outlined' },
};

/** The field's state, in words (colour is only a second cue). */
export function StateChip({ state, fieldLabel }: { state: FieldState; fieldLabel: string }) {
  const { label, color, variant } = presentation[state];
  return (
    <Chip
      size="small"
      label={label}
      color={color}
      variant={variant}
      aria-label={`${fieldLabel}: ${label}`}
      data-testid="field-state"
      data-state={state}
    />
  );
}
