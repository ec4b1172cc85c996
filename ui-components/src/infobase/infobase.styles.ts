import { editorStyles } from "../knowledge-editor/editor.styles.js"

export const styles = [...editorStyles]
