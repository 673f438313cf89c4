// Documents Relais writes for people to read (PDF), apart from the kernel so that only what prints
// loads pdfkit and its fonts.
export * from './pdf';
