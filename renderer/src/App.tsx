// Application frame: title bar with navigation and theme choice, then the settings dialog, the
// object store or the System Recovery Options screen, the entropy status line, the run dialog and
// notices.
import Alert from '@mui/material/Alert';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import CssBaseline from '@mui/material/CssBaseline';
import IconButton from '@mui/material/IconButton';
import Snackbar from '@mui/material/Snackbar';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import { ThemeProvider } from '@mui/material/styles';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { EntropyStatusLine } from './components/EntropyStatusLine';
import { ObjectStoreView } from './components/ObjectStoreView';
import { RecoveryScreen } from './components/RecoveryScreen';
import { RunDialog } from './components/RunDialog';
import { SettingsDialog } from './components/SettingsDialog';
import { DarkModeIcon, LightModeIcon, ShieldKeyIcon, SystemModeIcon } from './icons';
import { installLeaveGuard } from './state/leave-guard';
import { noticeAutoHideMs, useDialogStore } from './state/store';
import { createAppTheme, type ThemePreference } from './theme';
import { useOnWindowReturn } from './components/window-return';

const THEME_KEY = 'kmip-console.theme';
const nextPreference: Record<ThemePreference, ThemePreference> = { system: 'light', light: 'dark', dark: 'system' };

function storedPreference(): ThemePreference {
  const value = window.localStorage.getItem(THEME_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

function ThemeToggle({ preference, onChange }: { preference: ThemePreference; onChange: (p: ThemePreference) => void }) {
  const label = `Theme: ${preference === 'system' ? 'follow system' : preference}. Switch to ${nextPreference[preference] === 'system' ? 'follow system' : nextPreference[preference]}`;
  const Icon = preference === 'system' ? SystemModeIcon : preference === 'dark' ? DarkModeIcon : LightModeIcon;
  return (
    <Tooltip title={label}>
      <IconButton color="inherit" aria-label={label} onClick={() => onChange(nextPreference[preference])} data-testid="theme-toggle">
        <Icon />
      </IconButton>
    </Tooltip>
  );
}

export function App() {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)');
  const [preference, setPreference] = useState<ThemePreference>(storedPreference);
  const mode = preference === 'system' ? (prefersDark ? 'dark' : 'light') : preference;
  const theme = useMemo(() => createAppTheme(mode), [mode]);
  const view = useDialogStore((s) => s.view);
  const ready = useDialogStore((s) => s.settings !== null);
  const startupError = useDialogStore((s) => s.startupError);
  const notice = useDialogStore((s) => s.notice);
  const { init, showView, dismissNotice, lookAgain } = useDialogStore.getState();

  useEffect(() => {
    void init();
  }, [init]);
  useEffect(installLeaveGuard, []);
  useOnWindowReturn(useCallback(() => void lookAgain(), [lookAgain]));

  const changePreference = (next: ThemePreference) => {
    window.localStorage.setItem(THEME_KEY, next);
    setPreference(next);
  };

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column' }} data-theme-mode={mode}>
        <AppBar position="static" elevation={0} color="primary">
          <Toolbar variant="dense" sx={{ gap: 1 }}>
            <ShieldKeyIcon aria-hidden />
            <Typography variant="h2" component="p" sx={{ flex: 1, fontSize: '1rem' }}>
              kmip-console
            </Typography>
            <nav aria-label="Main">
              <Button color="inherit" onClick={() => showView('settings')} aria-current={view === 'settings' ? 'page' : undefined}>
                KMIP settings
              </Button>
              <Button color="inherit" onClick={() => showView('store')} aria-current={view === 'store' ? 'page' : undefined}>
                Object store
              </Button>
              <Button color="inherit" onClick={() => showView('recovery')} aria-current={view === 'recovery' ? 'page' : undefined}>
                Recovery options
              </Button>
            </nav>
            <ThemeToggle preference={preference} onChange={changePreference} />
          </Toolbar>
        </AppBar>
        <Container component="main" maxWidth="lg" sx={{ py: 3, flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
          {startupError ? (
            <Alert severity="error" role="alert">
              kmip-console could not read its settings: {startupError.message}
            </Alert>
          ) : !ready ? (
            <Typography color="text.secondary">Loading settings…</Typography>
          ) : view === 'recovery' ? (
            <RecoveryScreen />
          ) : view === 'store' ? (
            <ObjectStoreView />
          ) : (
            <SettingsDialog />
          )}
        </Container>
        <EntropyStatusLine />
        <RunDialog />
        <Snackbar
          open={notice !== null}
          autoHideDuration={notice ? noticeAutoHideMs(notice) : null}
          // A click elsewhere (say, into the field a warning names) must not dismiss it unread.
          onClose={(_event, reason) => {
            if (reason !== 'clickaway' || (notice && noticeAutoHideMs(notice) !== null)) dismissNotice();
          }}
          anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
        >
          {notice ? (
            <Alert severity={notice.severity} onClose={dismissNotice} variant="filled">
              {notice.text}
            </Alert>
          ) : undefined}
        </Snackbar>
      </Box>
    </ThemeProvider>
  );
}
