import { fr, type Messages } from './fr.js';

export const nl: Messages = { ...fr };
