import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPath, resolveUnderRoot } from '../../../main/electron/app-protocol-path';

const root = path.resolve('/srv/renderer');

describe('resolveAppPath', () => {
  it('maps the origin root to index.html and assets inside the folder', () => {
    expect(resolveAppPath(root, 'app://kmip-console/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://kmip-console/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://kmip-console/assets/index-abc.js?v=1#x')).toBe(path.join(root, 'assets/index-abc.js'));
    expect(resolveAppPath(root, 'app://kmip-console/assets/a%20b.css')).toBe(path.join(root, 'assets/a b.css'));
  });

  it('refuses other schemes and hosts', () => {
    expect(resolveAppPath(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppPath(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppPath(root, 'https://kmip-console/index.html')).toBeNull();
    expect(resolveAppPath(root, 'not a url')).toBeNull();
  });

  it.each([
    'app://kmip-console/../../etc/passwd',
    'app://kmip-console/assets/../../secret',
    'app://kmip-console/%2e%2e/%2e%2e/etc/passwd',
    'app://kmip-console/%2E%2E/secret',
    'app://kmip-console/..%2f..%2fetc%2fpasswd',
    'app://kmip-console/%2e%2e%2fsecret',
    'app://kmip-console/..%5c..%5csecret',
    'app://kmip-console/%252e%252e/secret',
  ])('never resolves outside the root: %s', (url) => {
    const resolved = resolveAppPath(root, url);
    if (resolved !== null) {
      // The URL parser may normalise dot segments away; whatever remains must stay inside root.
      expect(path.relative(root, resolved).startsWith('..')).toBe(false);
      expect(resolved.startsWith(root + path.sep)).toBe(true);
    }
  });

  it('refuses encoded separators, NUL bytes, backslashes, drive letters and absolute paths', () => {
    expect(resolveUnderRoot(root, '/..%2f..%2fetc/passwd')).toBeNull();
    expect(resolveUnderRoot(root, '/assets%5c..%5c..%5csecret')).toBeNull();
    expect(resolveUnderRoot(root, '/index.html%00.png')).toBeNull();
    expect(resolveUnderRoot(root, '/a\\..\\..\\b')).toBeNull();
    expect(resolveUnderRoot(root, '/C:/Windows/win.ini')).toBeNull();
    expect(resolveUnderRoot(root, '/../secret')).toBeNull();
    expect(resolveUnderRoot(root, '/%2e%2e/secret')).toBeNull();
    expect(resolveUnderRoot(root, '/./index.html')).toBeNull();
    expect(resolveUnderRoot(root, 'etc/passwd')).toBeNull();
    expect(resolveUnderRoot(root, '/%E0%A4%A')).toBeNull();
  });

  it('treats a doubled slash as a path inside the root, not an absolute path', () => {
    expect(resolveUnderRoot(root, '//etc/passwd')).toBe(path.join(root, 'etc/passwd'));
  });
});
