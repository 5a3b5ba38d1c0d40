// A masked TextField for a secret (a password, a secret value). React copies a controlled input's value
// into its `value` attribute, where outerHTML and CSS attribute selectors read it. This input is
// uncontrolled, so the secret lives only in the input's live value and in the state that sends it to main.
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import { useForkRef } from '@mui/material/utils';
import { useLayoutEffect, useRef, useState } from 'react';

type SecretTextFieldProps = Omit<TextFieldProps, 'value' | 'defaultValue' | 'type' | 'select' | 'multiline' | 'slotProps'> & {
  /** The secret as the state holds it; typing reports through `onChange`, as for a controlled field. */
  value: string;
  /** TextField's slot props, except the label's: this field sets the label's `shrink` itself (see below). */
  slotProps?: Omit<NonNullable<TextFieldProps['slotProps']>, 'inputLabel'>;
};

export function SecretTextField({ value, inputRef, onFocus, onBlur, slotProps, ...props }: SecretTextFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  const forkedInputRef = useForkRef(input, inputRef);
  const [focused, setFocused] = useState(false);

  // The state changed from outside (cleared after Save or Load File, restored when the view comes back):
  // put it into the live value. Before paint, and before MUI's own mount check of whether the field is filled.
  useLayoutEffect(() => {
    if (input.current && input.current.value !== value) input.current.value = value;
  }, [value]);

  return (
    <TextField
      {...props}
      type="password"
      inputRef={forkedInputRef}
      onFocus={(event) => {
        setFocused(true);
        onFocus?.(event);
      }}
      onBlur={(event) => {
        setFocused(false);
        onBlur?.(event);
      }}
      // MUI tracks whether an uncontrolled input is filled only from its own change events, so a value
      // cleared from outside would leave the label raised over an empty field: raise it from the state.
      slotProps={{ ...slotProps, inputLabel: { shrink: focused || value !== '' } }}
    />
  );
}
