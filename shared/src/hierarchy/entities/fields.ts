/** What an entity id is: upper-case, at most 50, starting with its level's id_prefix. */
export const ENTITY_ID = /^[A-Z0-9_-]{1,50}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The largest metadata object (its JSON text) an entity holds. */
export const METADATA_MAX_BYTES = 10 * 1024;
