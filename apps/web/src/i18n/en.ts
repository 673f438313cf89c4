import { fr, type Messages } from './fr.js';

export const en: Messages = { ...fr };
