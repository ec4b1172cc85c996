/**
 * @ignition/upload — encrypted, resumable uploads, isomorphic: a chunk
 * planner within S3 multipart's limits; streaming file encryption (a random
 * key per file wrapped through a port, HKDF segment key, AES-256-GCM per
 * segment with IV = nonce prefix ‖ index ‖ last flag) that detects
 * truncation, reordering, duplication and swaps; ranged decryption; SHA-256
 * per chunk and of the whole ciphertext (the file's identity); and a
 * resumable client with parallel chunks, retries, pause, resume, cancel and
 * progress, behind transport and journal ports.
 */
export * as Aead from "./Aead.js"
export * as ChunkPlan from "./ChunkPlan.js"
export * as FileCipher from "./FileCipher.js"
export * as FileHeader from "./FileHeader.js"
export * as FileId from "./FileId.js"
export * as KeyWrap from "./KeyWrap.js"
export * as MemoryTransport from "./MemoryTransport.js"
export * as Progress from "./Progress.js"
export * as SegmentLayout from "./SegmentLayout.js"
export * as Sha256 from "./Sha256.js"
export * as Source from "./Source.js"
export * as UploadError from "./UploadError.js"
export * as Uploader from "./Uploader.js"
export * as UploadJournal from "./UploadJournal.js"
export * as UploadTransport from "./UploadTransport.js"
