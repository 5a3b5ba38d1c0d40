// The KMIP settings dialog: Basic / Advanced (Cert, Key, CA Trusted Cert, Server Cert, Server
// Key, Credentials) / Configuration, each field with its own Save, and the action bar.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import type { FileSlotId } from '../../../common/pki-types';
import type { AdvancedSubTab, SettingsTab } from '../../../common/settings';
import { useDialogStore } from '../state/store';
import { ActionBar } from './ActionBar';
import { FieldRow, PasswordRow } from './FieldRow';
import { FileSlotPanel } from './FileSlotPanel';

const tabs: { id: SettingsTab; label: string }[] = [
  { id: 'basic', label: 'Basic' },
  { id: 'advanced', label: 'Advanced' },
  { id: 'configuration', label: 'Configuration' },
];

const subTabs: { id: AdvancedSubTab; label: string; slot?: FileSlotId }[] = [
  { id: 'cert', label: 'Cert', slot: 'clientCert' },
  { id: 'key', label: 'Key', slot: 'clientKey' },
  { id: 'caCert', label: 'CA Trusted Cert', slot: 'caCert' },
  { id: 'serverCert', label: 'Server Cert', slot: 'serverCert' },
  { id: 'serverKey', label: 'Server Key', slot: 'serverKey' },
  { id: 'credentials', label: 'Credentials' },
];

function TabPanel({ id, prefix, children }: { id: string; prefix: string; children: ReactNode }) {
  return (
    <Box role="tabpanel" id={`${prefix}-panel-${id}`} aria-labelledby={`${prefix}-tab-${id}`} data-testid={`panel-${id}`}>
      {children}
    </Box>
  );
}

function VerifyWarning() {
  const verifyDraft = useDialogStore((s) => s.drafts.verify);
  const pendingVerify = useDialogStore((s) => s.settings?.pending.verify);
  const pinned = useDialogStore((s) => s.settings?.pending.serverCert !== null);
  if (verifyDraft !== false && pendingVerify !== false) return null;
  return (
    <Alert severity="warning" data-testid="verify-warning" sx={{ mb: 2 }}>
      Verify is set to <strong>no</strong>: the server&apos;s certificate chain and host name are not checked
      {pinned ? ' (the loaded Server Cert is still pinned).' : ', so anyone on the network path could impersonate the key server. Use it only in a lab, or pin the Server Cert.'}
    </Alert>
  );
}

function BasicTab() {
  return (
    <>
      <VerifyWarning />
      <FieldRow id="serverName" />
      <FieldRow id="hostName" />
      <FieldRow id="port" />
      <FieldRow id="autoReconnect" />
      <FieldRow id="verify" />
      <FieldRow id="protocol" />
      <FieldRow id="nbio" />
      <FieldRow id="timeout" />
    </>
  );
}

function AdvancedTab() {
  const [sub, setSub] = useState<AdvancedSubTab>('cert');
  const current = subTabs.find((tab) => tab.id === sub) ?? subTabs[0]!;
  return (
    <Box sx={{ display: 'flex', gap: 3, minHeight: 420 }}>
      <Tabs
        orientation="vertical"
        value={sub}
        onChange={(_event, value: AdvancedSubTab) => setSub(value)}
        aria-label="Advanced settings"
        sx={{ borderRight: 1, borderColor: 'divider', minWidth: 170, flexShrink: 0 }}
      >
        {subTabs.map((tab) => (
          <Tab
            key={tab.id}
            value={tab.id}
            label={tab.label}
            id={`advanced-tab-${tab.id}`}
            aria-controls={`advanced-panel-${tab.id}`}
            sx={{ alignItems: 'flex-start' }}
          />
        ))}
      </Tabs>
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <TabPanel id={current.id} prefix="advanced">
          {current.slot ? (
            <FileSlotPanel slot={current.slot} />
          ) : (
            <>
              <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
                Credentials
              </Typography>
              <FieldRow id="username" />
              <PasswordRow />
              <FieldRow id="ciphers" />
            </>
          )}
        </TabPanel>
      </Box>
    </Box>
  );
}

function ConfigurationTab() {
  return (
    <>
      <FieldRow id="description" />
      <FieldRow id="disableEntropySeed" />
      <FieldRow id="disableHardwareSignature" />
      <FieldRow id="noSplitKey" />
    </>
  );
}

export function SettingsDialog() {
  const [tab, setTab] = useState<SettingsTab>('basic');
  const recoveryMode = useDialogStore((s) => s.recoveryMode);
  const leaveRecoveryMode = useDialogStore((s) => s.leaveRecoveryMode);
  const recoverySource = useDialogStore((s) => s.recoverySource);
  const chosenBackup = useDialogStore((s) => s.chosenBackup);
  const dataDir = useDialogStore((s) => s.settings?.dataDir);
  return (
    <Paper variant="outlined" component="section" aria-labelledby="dialog-title" sx={{ display: 'flex', flexDirection: 'column', overflow: 'hidden', flex: 1, minHeight: 0 }}>
      <Box sx={{ px: 3, pt: 2.5, pb: 1 }}>
        <Typography variant="h1" id="dialog-title">
          External Key Server (KMIP)
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          Each field has its own Save. Saved fields are pending until Apply makes them the settings in use.
        </Typography>
        {recoveryMode ? (
          <Alert
            severity="info"
            sx={{ mt: 1.5 }}
            data-testid="recovery-mode"
            action={
              <Button color="inherit" size="small" onClick={leaveRecoveryMode} sx={{ whiteSpace: 'nowrap' }}>
                Leave recovery mode
              </Button>
            }
          >
            {recoverySource === 'backup' && chosenBackup
              ? `Recovery mode, restoring the backup ${chosenBackup.fileName}: `
              : 'Recovery mode: '}
            enter and save the settings of the key server that holds the Admin Key, load the client certificate and key,
            then choose Recover.
          </Alert>
        ) : null}
      </Box>
      <Tabs value={tab} onChange={(_event, value: SettingsTab) => setTab(value)} aria-label="KMIP settings" sx={{ px: 2, borderBottom: 1, borderColor: 'divider' }}>
        {tabs.map((t) => (
          <Tab key={t.id} value={t.id} label={t.label} id={`settings-tab-${t.id}`} aria-controls={`settings-panel-${t.id}`} />
        ))}
      </Tabs>
      <Box sx={{ px: 3, py: 2, flex: 1, overflow: 'auto' }} data-testid="dialog-content">
        <TabPanel id={tab} prefix="settings">
          {tab === 'basic' ? <BasicTab /> : tab === 'advanced' ? <AdvancedTab /> : <ConfigurationTab />}
        </TabPanel>
      </Box>
      {dataDir ? (
        <>
          <Divider />
          <Typography variant="caption" color="text.secondary" sx={{ px: 3, py: 0.75 }}>
            Data folder: {dataDir}
          </Typography>
        </>
      ) : null}
      <ActionBar />
    </Paper>
  );
}
