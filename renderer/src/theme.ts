// Light and dark themes: calm, dense enough for a settings dialog, high contrast for status.
import { createTheme, type Theme } from '@mui/material/styles';

export type ThemePreference = 'system' | 'light' | 'dark';

export function createAppTheme(mode: 'light' | 'dark'): Theme {
  const dark = mode === 'dark';
  return createTheme({
    palette: {
      mode,
      primary: { main: dark ? '#7fb0e0' : '#1f4e79' },
      secondary: { main: dark ? '#a7c0d8' : '#4a6278' },
      background: dark ? { default: '#121417', paper: '#1b1e23' } : { default: '#f5f6f8', paper: '#ffffff' },
      success: { main: dark ? '#66bb6a' : '#2e7d32' },
      // Light: dark enough for small text on the paper and for white text on a filled notice (WCAG AA 4.5:1):
      // MUI's default info (#0288d1) and the amber #b26a00 had 3.9 and 4.2 (the state chips, the Fix lines, notices).
      info: { main: dark ? '#29b6f6' : '#0277bd' },
      warning: { main: dark ? '#ffb74d' : '#a05f00' },
      error: { main: dark ? '#f47174' : '#c62828' },
    },
    shape: { borderRadius: 6 },
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      fontSize: 14,
      h1: { fontSize: '1.35rem', fontWeight: 600 },
      h2: { fontSize: '1.1rem', fontWeight: 600 },
      h3: { fontSize: '0.95rem', fontWeight: 600 },
    },
    components: {
      MuiButton: { defaultProps: { disableElevation: true }, styleOverrides: { root: { textTransform: 'none' } } },
      MuiTab: { styleOverrides: { root: { textTransform: 'none', fontWeight: 500, minHeight: 44 } } },
      MuiTextField: { defaultProps: { size: 'small' } },
      MuiSelect: { defaultProps: { size: 'small' } },
      MuiChip: { styleOverrides: { root: { fontWeight: 500 } } },
      // Alerts and dialog titles quote names, certificate subjects and paths that may have no place to
      // break: they wrap anywhere rather than run out of the window or get clipped.
      MuiAlert: { styleOverrides: { message: { overflowWrap: 'anywhere' } } },
      MuiDialogTitle: { styleOverrides: { root: { overflowWrap: 'anywhere' } } },
    },
  });
}
