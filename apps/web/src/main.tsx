import { render } from 'preact';
import { App } from './app.js';
import { loadStoredLanguage } from './i18n/i18n.js';

const root = document.getElementById('app');
if (root) {
  void loadStoredLanguage().then(() => {
    root.textContent = '';
    render(<App />, root);
  });
}
