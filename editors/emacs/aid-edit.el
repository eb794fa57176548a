;;; aid-edit.el --- Editor state and proposals for Aid  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Aid authors

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; What Aid tells the daemon about the editor (the workspace root, the
;; file, cursor and selection, the text of unsaved buffers) and how a
;; proposal comes back into it: files open in a buffer are edited there
;; as one undoable change per buffer; the others are written by the
;; daemon with `edit/apply'; then `edit/feedback' says what the user
;; did.  Positions are the protocol's: 0-based lines, and characters
;; counted in UTF-16 code units.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'project)
(require 'aid-rpc)

(declare-function aid-chat-buffer-p "aid-chat" (&optional buffer))


;;; Workspaces

(defun aid-workspace-root (&optional directory)
  "The workspace of DIRECTORY (default: `default-directory').
The project's root (`project-current'), else the nearest directory
with a \".aid\" subdirectory, else a workspace Aid already knows
that holds DIRECTORY, else DIRECTORY itself."
  (let ((directory (expand-file-name (or directory default-directory))))
    (directory-file-name
     (expand-file-name
      (or (when-let ((project (project-current nil directory)))
            (project-root project))
          (locate-dominating-file directory ".aid")
          (when-let ((server (aid-rpc-server-for-file directory)))
            (aid-rpc-server-root server))
          directory)))))

(defun aid-edit--in-workspace-p (file root)
  "Non-nil when FILE lies under the directory ROOT."
  (string-prefix-p (file-name-as-directory root) (expand-file-name file)))


;;; Positions

(defun aid-edit--utf16-length (string)
  "The length of STRING in UTF-16 code units."
  (let ((units (length string)))
    (dotimes (i (length string))
      (when (> (aref string i) #xFFFF)
        (cl-incf units)))
    units))

(defun aid-edit-position (&optional point)
  "POINT (default: point) as a protocol position {line, character}."
  (save-restriction
    (widen)
    (let ((point (or point (point))))
      (list :line (1- (line-number-at-pos point t))
            :character (aid-edit--utf16-length
                        (buffer-substring-no-properties
                         (save-excursion (goto-char point) (line-beginning-position))
                         point))))))

(defun aid-edit-point (position)
  "The buffer position of POSITION, a plist with :line and :character."
  (save-restriction
    (widen)
    (save-excursion
      (goto-char (point-min))
      (if (> (forward-line (plist-get position :line)) 0)
          (point-max)
        (let ((units (plist-get position :character)))
          (while (and (> units 0) (not (eolp)))
            (setq units (- units (if (> (char-after) #xFFFF) 2 1)))
            (forward-char 1)))
        (point)))))


;;; Editor state

(defun aid-edit-modified-buffers (root)
  "The unsaved buffers visiting files of the workspace ROOT.
A vector of plists with :path and :text, as the protocol wants."
  (let (buffers)
    (dolist (buffer (buffer-list))
      (let ((file (buffer-file-name buffer)))
        (when (and file
                   (buffer-modified-p buffer)
                   (aid-edit--in-workspace-p file root)
                   (not (aid-chat-buffer-p buffer)))
          (push (list :path (expand-file-name file)
                      :text (with-current-buffer buffer
                              (save-restriction
                                (widen)
                                (buffer-substring-no-properties (point-min) (point-max)))))
                buffers))))
    (vconcat (nreverse buffers))))

(defun aid-edit-state (root &optional source selection)
  "The editor-state params for the workspace ROOT, a plist.
SOURCE is the buffer the user came from: its file, cursor and, when
the region is active there, selection are sent.  SELECTION, a cons
of buffer positions in SOURCE, overrides the region."
  (let ((state (list :workspaceRoot root
                     :buffers (aid-edit-modified-buffers root))))
    (when (and (buffer-live-p source) (buffer-file-name source))
      (with-current-buffer source
        (let* ((window (get-buffer-window source t))
               (cursor (if window (window-point window) (point)))
               (region (or selection
                           (and (region-active-p)
                                (cons (region-beginning) (region-end))))))
          (setq state (append (list :file (expand-file-name buffer-file-name)
                                    :cursor (aid-edit-position cursor))
                              state))
          (when (and region (< (car region) (cdr region)))
            (setq state (append (list :selection
                                      (list :start (aid-edit-position (car region))
                                            :end (aid-edit-position (cdr region))))
                                state))))))
    state))


;;; Applying proposals

(defun aid-edit--apply-edits (edits)
  "Apply EDITS, a vector of protocol text edits, to the current buffer.
They are ascending and non-overlapping; apply them last to first."
  (save-restriction
    (widen)
    (save-excursion
      (cl-loop for index from (1- (length edits)) downto 0
               for edit = (aref edits index)
               for range = (plist-get edit :range)
               for start = (aid-edit-point (plist-get range :start))
               for end = (aid-edit-point (plist-get range :end))
               do (goto-char start)
               (delete-region start end)
               (insert (aid-edit--buffer-text (plist-get edit :newText)))))))

(defun aid-edit--buffer-text (text)
  "Return TEXT with DOS line ends made Emacs ones, for the current buffer.
Only when the buffer's file has DOS line ends: it gets them back on save."
  (if (and (string-search "\r\n" text)
           (eq (coding-system-eol-type buffer-file-coding-system) 1))
      (string-replace "\r\n" "\n" text)
    text))

(defun aid-edit--result-matches-p (file)
  "Return non-nil when the current buffer's text is FILE's proposed text."
  (let ((expected (plist-get file :newText)))
    (or (null expected)
        (string= (aid-edit--buffer-text expected)
                 (save-restriction
                   (widen)
                   (buffer-substring-no-properties (point-min) (point-max)))))))

(defun aid-edit--check-buffer (buffer file)
  "Signal `aid-error' unless FILE's edits turn BUFFER into its new text.
Works on a copy: BUFFER is not touched."
  (let ((text (with-current-buffer buffer
                (save-restriction
                  (widen)
                  (buffer-substring-no-properties (point-min) (point-max)))))
        (coding (buffer-local-value 'buffer-file-coding-system buffer)))
    (with-temp-buffer
      (insert text)
      (setq buffer-file-coding-system coding)
      (aid-edit--apply-edits (plist-get file :edits))
      (unless (aid-edit--result-matches-p file)
        (signal 'aid-error
                (list (format "%s changed since Aid saw it; ask again"
                              (plist-get file :path))))))))

(defun aid-edit--apply-to-buffers (targets)
  "Edit each buffer of TARGETS as one undoable change.
TARGETS is a list of (BUFFER . FILE).  Either every buffer gets its
edits and holds the proposed text after, or none changes."
  (let (groups done)
    (unwind-protect
        (progn
          (pcase-dolist (`(,buffer . ,file) targets)
            (with-current-buffer buffer
              (undo-boundary)
              (let ((group (prepare-change-group)))
                (push (cons buffer group) groups)
                (activate-change-group group)
                (aid-edit--apply-edits (plist-get file :edits))
                (unless (aid-edit--result-matches-p file)
                  (signal 'aid-error
                          (list (format "%s changed since Aid saw it; ask again"
                                        (plist-get file :path))))))))
          (setq done t))
      (pcase-dolist (`(,buffer . ,group) groups)
        (with-current-buffer buffer
          (if done
              (progn
                (accept-change-group group)
                (undo-amalgamate-change-group group)
                (undo-boundary))
            (cancel-change-group group)))))))

(cl-defun aid-edit-apply (server proposal &key paths on-done)
  "Apply PROPOSAL (a plist) of SERVER's workspace, then send feedback.
PATHS limits it to those workspace-relative files (a partial accept).
Files visited by a buffer are edited there (one undo step each, left
unsaved); the daemon writes the others with `edit/apply'.  ON-DONE is
called with nil and the list of applied paths on success, or with an
error message."
  (let* ((root (aid-rpc-server-root server))
         (id (plist-get proposal :proposalId))
         (all (append (plist-get proposal :files) nil))
         (files (if paths
                    (cl-remove-if-not (lambda (file) (member (plist-get file :path) paths)) all)
                  all))
         (partial (< (length files) (length all)))
         buffer-targets disk-paths)
    (unless files
      (signal 'aid-error (list "This proposal changes no file")))
    (unless (eq (plist-get proposal :applies) t)
      (signal 'aid-error (list (format "This proposal does not apply: %s"
                                       (or (plist-get proposal :applyError) "unknown reason")))))
    (dolist (file files)
      (let ((buffer (find-buffer-visiting (expand-file-name (plist-get file :path) root))))
        (if (and buffer (equal (plist-get file :status) "modified"))
            (push (cons buffer file) buffer-targets)
          (push (plist-get file :path) disk-paths))))
    (setq buffer-targets (nreverse buffer-targets)
          disk-paths (nreverse disk-paths))
    (aid-edit--check-saved root disk-paths)
    ;; Check every buffer before anything is written anywhere.
    (pcase-dolist (`(,buffer . ,file) buffer-targets)
      (aid-edit--check-buffer buffer file))
    (let ((finish
           (lambda ()
             (aid-edit--apply-to-buffers buffer-targets)
             (aid-edit--revert root disk-paths)
             (let ((applied (mapcar (lambda (file) (plist-get file :path)) files)))
               (aid-edit-feedback server id (if partial "partial" "accepted")
                                  :paths (and partial applied)
                                  :applied-by (if buffer-targets "editor" "daemon"))
               (when on-done (funcall on-done nil applied))))))
      (if (null disk-paths)
          (funcall finish)
        (aid-rpc-request
         server "edit/apply"
         (list :proposalId id :workspaceRoot root :paths (vconcat disk-paths))
         :on-result (lambda (_result)
                      (condition-case err
                          (funcall finish)
                        (aid-error
                         (when on-done (funcall on-done (error-message-string err) nil)))))
         :on-error (lambda (err)
                     (when on-done (funcall on-done (plist-get err :message) nil))))))))

(defun aid-edit--revert (root paths)
  "Revert the unmodified buffers visiting PATHS of ROOT from the disk."
  (dolist (path paths)
    (let ((file (expand-file-name path root)))
      (when-let ((buffer (find-buffer-visiting file)))
        (when (and (file-exists-p file) (not (buffer-modified-p buffer)))
          (with-current-buffer buffer (revert-buffer t t t)))))))

(defun aid-edit--check-saved (root paths)
  "Signal `aid-error' if a buffer visiting one of PATHS of ROOT is unsaved."
  (dolist (path paths)
    (when-let ((buffer (find-buffer-visiting (expand-file-name path root))))
      (when (buffer-modified-p buffer)
        (signal 'aid-error
                (list (format "Save or revert %s first: the daemon writes it on disk" path)))))))

(cl-defun aid-edit-apply-recorded (server proposal-id paths &key chosen on-done)
  "Ask SERVER's daemon to write its recorded proposal PROPOSAL-ID.
PATHS are the files the proposal changes (read from its diff);
CHOSEN, when non-nil, the ones to apply (a partial accept).  Their
buffers must be saved, and are reverted after.  Then send the
feedback.  ON-DONE is called like in `aid-edit-apply'."
  (let ((root (aid-rpc-server-root server))
        (partial (and chosen (cl-set-difference paths chosen :test #'equal))))
    (aid-edit--check-saved root (or chosen paths))
    (aid-rpc-request
     server "edit/apply"
     (append (list :proposalId proposal-id :workspaceRoot root)
             (and partial (list :paths (vconcat chosen))))
     :on-result
     (lambda (result)
       (let ((applied (mapcar (lambda (file) (plist-get file :path))
                              (plist-get result :files))))
         (aid-edit--revert root applied)
         (aid-edit-feedback server proposal-id (if partial "partial" "accepted")
                            :paths (and partial chosen) :applied-by "daemon")
         (when on-done (funcall on-done nil applied))))
     :on-error (lambda (err) (when on-done (funcall on-done (plist-get err :message) nil))))))

(cl-defun aid-edit-feedback (server proposal-id outcome &key paths applied-by on-done)
  "Tell SERVER's daemon the OUTCOME of proposal PROPOSAL-ID.
OUTCOME is \"accepted\", \"rejected\" or \"partial\"; PATHS are the
accepted files of a partial accept; APPLIED-BY is \"editor\" or
\"daemon\".  ON-DONE is called with nil, or an error message."
  (aid-rpc-request
   server "edit/feedback"
   (append (list :proposalId proposal-id :outcome outcome)
           (and paths (list :paths (vconcat paths)))
           (and applied-by (list :appliedBy applied-by)))
   :on-result (lambda (_result) (when on-done (funcall on-done nil)))
   :on-error (lambda (err)
               (message "Aid: feedback on %s failed: %s" proposal-id (plist-get err :message))
               (when on-done (funcall on-done (plist-get err :message))))))

(provide 'aid-edit)
;;; aid-edit.el ends here
