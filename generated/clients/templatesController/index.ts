export * from "./archiveTemplate.ts";
export * from "./createTemplate.ts";
export * from "./deleteTemplate.ts";
export * from "./duplicateTemplate.ts";
export * from "./listTemplates.ts";
export * from "./retrieveTemplate.ts";
export * from "./unarchiveTemplate.ts";
export * from "./updateTemplate.ts";