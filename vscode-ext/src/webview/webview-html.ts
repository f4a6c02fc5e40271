import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The one folder webviews may load from. */
export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media');
}

/** Webview options every Drover panel uses: scripts on, resources only from `media/`. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [mediaRoot(extensionUri)],
    retainContextWhenHidden: false,
  };
}

/**
 * The page of a Drover webview: `default-src 'none'`, scripts only with this load's nonce, styles
 * and images only from `media/` through `asWebviewUri`, nothing fetched from anywhere.
 */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  script: string,
  title: string,
): string {
  const nonce = randomBytes(18).toString('base64');
  const media = (file: string): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(extensionUri), file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${media('dashboard.css')}">
<link rel="stylesheet" href="${media('vscode-theme.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="drover" class="drover-root drover-vscode"></div>
<script nonce="${nonce}" src="${media(script)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
