/** The page that hosts the Stately inspector in an iframe and feeds it the relay's stream. */
export function bridgePage(wsUrl: string, inspectorUrl: string): string {
  return `<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>tradewire - Stately inspector</title>
  <style>html, body, iframe { margin: 0; width: 100%; height: 100%; border: 0; }</style>
</head>
<body>
  <iframe id="inspector" src="${inspectorUrl}"></iframe>
  <script>
    const frame = document.getElementById('inspector');
    const pending = [];
    let connected = false;
    window.addEventListener('message', (e) => {
      if (e.data && e.data.type === '@statelyai.connected') {
        connected = true;
        pending.splice(0).forEach((event) => frame.contentWindow.postMessage(event, '*'));
      }
    });
    const socket = new WebSocket(${JSON.stringify(wsUrl)});
    socket.onmessage = (message) => {
      const event = JSON.parse(message.data);
      if (connected) frame.contentWindow.postMessage(event, '*');
      else pending.push(event);
    };
  </script>
</body>
</html>`;
}
