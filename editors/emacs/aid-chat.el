;;; aid-chat.el --- Aid's conversation buffer  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Aid authors

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; A conversation is a plain Markdown file (markdown-mode when it is
;; installed, else `aid-text-mode'):
;;
;;     <!-- aid-workspace: /home/dev/project -->
;;     # project
;;
;;     ## You
;;
;;     Why does greet shout?
;;
;;     ## Aid
;;
;;     It calls `upper()` ...
;;
;;     ### Proposed changes
;;
;;     <!-- aid-proposal 5f0c8a4e-... -->
;;     ```diff
;;     ...
;;     ```
;;     *greet.py: ready to apply (C-c C-a apply, C-c C-k reject, C-c C-v view)*
;;
;;     ## You
;;
;; The developer writes under the last "## You" heading and sends it:
;; \\[aid-chat-send] asks a question (`chat/send'), \\[aid-chat-propose]
;; asks for a change (`edit/propose').  The answer streams in under a
;; new "## Aid" heading; each turn goes through the states `waiting',
;; `streaming', then `done', `failed' or `cancelled'.  When a saved
;; conversation is reopened, its earlier turns are sent as `history'.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'diff-mode)
(require 'aid-rpc)
(require 'aid-edit)
(require 'aid-build)

(defcustom aid-conversation-directory (locate-user-emacs-file "aid/")
  "Where \\[aid] keeps each workspace's conversation file.
The file is named after the workspace, with the extension
\".aid.md\"; save it to keep the conversation."
  :type 'directory
  :group 'aid)

(defvar aid-chat-turn-functions nil
  "Functions called with a turn (an `aid-chat--turn') when it ends.")


;;; The fallback major mode

(defvar aid-text-mode-font-lock-keywords
  '(("^#+ .*$" . 'bold)
    ("^\\(?:```\\|~~~\\).*$" . 'font-lock-comment-face)
    ("^<!--.*-->$" . 'font-lock-comment-face)
    ("^\\*.*\\*$" . 'italic)
    ("^[+][^+].*$" . 'diff-added)
    ("^-[^-].*$" . 'diff-removed)
    ("^@@.*$" . 'diff-hunk-header)
    ("`[^`\n]+`" . 'font-lock-constant-face))
  "What `aid-text-mode' highlights.")

(define-derived-mode aid-text-mode text-mode "Aid-Text"
  "A major mode for Markdown text, for when `markdown-mode' is missing."
  (setq-local font-lock-defaults '(aid-text-mode-font-lock-keywords t))
  (setq-local outline-regexp "#+ ")
  (setq-local comment-start "<!-- ")
  (setq-local comment-end " -->"))

(defalias 'aid-chat--parent-mode
  (if (or (fboundp 'markdown-mode)
          (when (locate-library "markdown-mode")
            (autoload 'markdown-mode "markdown-mode" nil t)
            t))
      'markdown-mode
    'aid-text-mode)
  "The major mode of conversations before `aid-chat-mode' adds to it.")


;;; State

(cl-defstruct (aid-chat--turn (:constructor aid-chat--make-turn)
                              (:copier nil))
  "One question and its answer."
  (kind 'chat :documentation "`chat' (chat/send) or `edit' (edit/propose).")
  (request nil :documentation "The `aid-rpc-request'.")
  (start nil :documentation "Marker: where the answer begins.")
  (end nil :documentation "Marker: where the answer ends (advances).")
  (state 'waiting :documentation "`waiting', `streaming', `done', `failed' or `cancelled'.")
  (round 0 :documentation "The answer round of `edit/delta' (1: repair).")
  (result nil :documentation "The result, when done.")
  (error nil :documentation "The error plist, when failed.")
  (sent-at nil :documentation "When the user sent it (a float time).")
  (first-text-at nil :documentation "When its first text reached the buffer.")
  (overlay nil :documentation "Shows the state after the heading."))

(defvar-local aid-chat--root nil
  "The workspace root of this conversation.")

(defvar-local aid-chat--source nil
  "The buffer the developer came from; its state goes with each request.")

(defvar-local aid-chat--selection nil
  "A selection (SOURCE-BUFFER BEG . END) to send with the next message.")

(defvar-local aid-chat--conversation nil
  "(ID . DAEMON-PID-AND-GENERATION) of the daemon's conversation, or nil.")

(defvar-local aid-chat--turn nil
  "The latest turn of this conversation.")

(defvar-local aid-chat--proposals nil
  "Proposals of this session, by id: plists as the daemon sent them.")

(defconst aid-chat--heading-re "^## \\(You\\|Aid\\)\\(?:[ \t].*\\)?$"
  "A heading that starts a turn.")

(defconst aid-chat--proposal-re "^<!-- aid-proposal \\([^ \n]+\\) -->$"
  "The line before each proposal's diff.")

(defconst aid-chat--proposals-heading "### Proposed changes"
  "The heading above the proposals of an answer.")


;;; The mode

(defvar aid-chat-mode-map
  (let ((map (make-sparse-keymap)))
    (define-key map (kbd "C-c C-c") #'aid-chat-send)
    (define-key map (kbd "C-c C-e") #'aid-chat-propose)
    (define-key map (kbd "C-c C-a") #'aid-chat-apply)
    (define-key map (kbd "C-c C-k") #'aid-chat-reject)
    (define-key map (kbd "C-c C-v") #'aid-chat-view)
    (define-key map [remap keyboard-quit] #'aid-chat-cancel-or-quit)
    map)
  "Keys of `aid-chat-mode'.")

;;;###autoload
(define-derived-mode aid-chat-mode aid-chat--parent-mode "Aid"
  "Major mode of Aid conversations: Markdown with keys to talk to Aid.
Write under the last \"## You\" heading, then send it with
\\[aid-chat-send] (a question) or \\[aid-chat-propose] (a change to
the code).  On a proposal, \\[aid-chat-apply] applies it (with a
prefix argument, only the files you choose), \\[aid-chat-reject]
rejects it and \\[aid-chat-view] shows its diff.  \\[keyboard-quit]
cancels an answer that is still coming.

\\{aid-chat-mode-map}"
  (setq-local aid-chat--proposals (make-hash-table :test #'equal))
  (setq-local aid-chat--root (aid-chat--header-root)))

(defun aid-chat-buffer-p (&optional buffer)
  "Non-nil when BUFFER (default: the current one) is a conversation."
  (with-current-buffer (or buffer (current-buffer))
    (derived-mode-p 'aid-chat-mode)))

(defun aid-chat--header-root ()
  "The workspace named at the top of the buffer, or nil."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (when (re-search-forward "^<!-- aid-workspace: \\(.+?\\) -->$"
                               (line-end-position 5) t)
        (directory-file-name (expand-file-name (match-string-no-properties 1)))))))

(defun aid-chat-file (root)
  "The conversation file of the workspace at ROOT."
  (expand-file-name (format "%s-%s.aid.md"
                            (file-name-nondirectory root)
                            (substring (md5 root) 0 8))
                    aid-conversation-directory))

(defun aid-chat-open (root &optional source)
  "The conversation buffer of the workspace at ROOT, opened if needed.
SOURCE, a file buffer, becomes the buffer whose state is sent."
  (let ((buffer (or (cl-find-if (lambda (buffer)
                                  (with-current-buffer buffer
                                    (and (derived-mode-p 'aid-chat-mode)
                                         (equal aid-chat--root root))))
                                (buffer-list))
                    (progn
                      (make-directory aid-conversation-directory t)
                      (find-file-noselect (aid-chat-file root))))))
    (with-current-buffer buffer
      (unless (derived-mode-p 'aid-chat-mode)
        (aid-chat-mode))
      (unless aid-chat--root
        (setq aid-chat--root root))
      (when (= (buffer-size) 0)
        (insert (format "<!-- aid-workspace: %s -->\n# %s\n\n## You\n\n"
                        root (file-name-nondirectory root))))
      (when (and source (buffer-file-name source) (not (aid-chat-buffer-p source)))
        (setq aid-chat--source source)))
    buffer))

(defun aid-chat--server ()
  "The server of this conversation's workspace."
  (unless aid-chat--root
    (setq aid-chat--root (aid-workspace-root)))
  (aid-rpc-server aid-chat--root))


;;; Reading the conversation

(defun aid-chat--sections ()
  "Return the sections of the buffer: a list of (ROLE HEADING-START START END).
ROLE is `user' or `assistant'; headings inside code blocks do not
count."
  (save-excursion
    (save-restriction
      (widen)
      (goto-char (point-min))
      (let (sections fence)
        (while (not (eobp))
          (cond
           (fence
            (when (looking-at (concat (regexp-quote fence) "[`~]*[ \t]*$"))
              (setq fence nil)))
           ((looking-at "\\(```+\\|~~~+\\)")
            (setq fence (match-string-no-properties 1)))
           ((looking-at aid-chat--heading-re)
            (push (list (if (equal (match-string 1) "You") 'user 'assistant)
                        (point) (line-beginning-position 2))
                  sections)))
          (forward-line 1))
        (let ((end (point-max)) result)
          (dolist (section sections result)
            (push (append section (list end)) result)
            (setq end (nth 1 section))))))))

(defun aid-chat--answer-text (start end)
  "The answer between START and END without Aid's proposals."
  (save-excursion
    (goto-char start)
    (string-trim
     (buffer-substring-no-properties
      start
      (if (re-search-forward (concat "^" (regexp-quote aid-chat--proposals-heading) "$") end t)
          (match-beginning 0)
        end)))))

(defun aid-chat--history (sections)
  "Return SECTIONS as the protocol's history messages (a vector)."
  (let (messages)
    (pcase-dolist (`(,role ,_heading ,start ,end) sections)
      (let ((content (if (eq role 'user)
                         (string-trim (buffer-substring-no-properties start end))
                       (aid-chat--answer-text start end))))
        ;; Leave out empty turns, and answers that are only Aid's note of a failure.
        (unless (or (string-empty-p content)
                    (and (eq role 'assistant)
                         (string-match-p "\\`\\*\\(?:Cancelled\\.\\|Error: .*\\)\\*\\'" content)))
          (push (list :role (if (eq role 'user) "user" "assistant") :content content)
                messages))))
    (vconcat (nreverse messages))))


;;; Sending

(defun aid-chat-send ()
  "Send the message under the last \"## You\" heading as a question."
  (interactive)
  (aid-chat--send 'chat))

(defun aid-chat-propose ()
  "Send the message under the last \"## You\" heading as a change request."
  (interactive)
  (aid-chat--send 'edit))

(defun aid-chat--busy-p ()
  "Non-nil while the latest turn is still being answered."
  (and aid-chat--turn (memq (aid-chat--turn-state aid-chat--turn) '(waiting streaming))))

(defun aid-chat--source-buffer ()
  "Return the file buffer whose state is sent with the next message, or nil."
  (if (buffer-live-p aid-chat--source)
      aid-chat--source
    (let ((root aid-chat--root))
      (cl-find-if (lambda (buffer)
                    (let ((file (buffer-file-name buffer)))
                      (and file (aid-edit--in-workspace-p file root)
                           (not (aid-chat-buffer-p buffer)))))
                  (buffer-list)))))

(defun aid-chat--send (kind)
  "Send the last message as KIND, `chat' or `edit'."
  (unless (derived-mode-p 'aid-chat-mode)
    (user-error "Not in an Aid conversation (M-x aid opens one)"))
  (when (aid-chat--busy-p)
    (user-error "Aid is still answering (%s cancels)"
                (substitute-command-keys "\\[keyboard-quit]")))
  (let* ((sections (aid-chat--sections))
         (last (car (last sections))))
    (unless (eq (car last) 'user)
      (save-excursion
        (goto-char (point-max))
        (insert (if (bolp) "" "\n") "\n## You\n\n"))
      (user-error "Write your message under the new \"## You\" heading"))
    (let ((text (string-trim (buffer-substring-no-properties (nth 2 last) (nth 3 last)))))
      (when (string-empty-p text)
        (user-error "Write your message under the last \"## You\" heading"))
      (unless aid-mode
        (aid-mode 1))
      (let* ((server (aid-chat--server))
             (source (aid-chat--source-buffer))
             (selection (and aid-chat--selection
                             (eq (car aid-chat--selection) source)
                             (cdr aid-chat--selection)))
             (state (aid-edit-state aid-chat--root source selection))
             (turn (aid-chat--make-turn :kind kind :sent-at (float-time)))
             (params
              (if (eq kind 'edit)
                  (append (list :prompt text) state)
                (let ((known (and aid-chat--conversation
                                  (equal (cdr aid-chat--conversation)
                                         (aid-chat--daemon-identity server)))))
                  (append (list :message text)
                          (and aid-chat--conversation
                               (list :conversationId (car aid-chat--conversation)))
                          (unless known
                            (list :history (aid-chat--history (butlast sections))))
                          state)))))
        (setq aid-chat--selection nil)
        (aid-chat--open-answer turn (nth 3 last))
        ;; Ready for the next message, below the answer as it grows.
        (goto-char (point-max))
        (setq aid-chat--turn turn)
        (setf (aid-chat--turn-request turn)
              (aid-rpc-request
               server (if (eq kind 'edit) "edit/propose" "chat/send") params
               :on-delta (lambda (delta) (aid-chat--on-delta turn delta))
               :on-result (lambda (result) (aid-chat--on-result turn result))
               :on-error (lambda (err) (aid-chat--on-error turn err))
               :on-resend (lambda () (aid-chat--on-resend turn))))
        turn))))

(defun aid-chat--daemon-identity (server)
  "Return what identifies SERVER's daemon process (its pid and generation).
A daemon that restarted has forgotten its conversations."
  (let ((info (aid-rpc-server-info server)))
    (list (plist-get info :pid) (plist-get info :generation))))

(defun aid-chat--open-answer (turn message-end)
  "Put the heading of TURN's answer after the message ending at MESSAGE-END."
  (save-excursion
    (goto-char message-end)
    (skip-chars-backward " \t\n")
    (delete-region (point) message-end)
    (insert "\n\n## Aid" (if (eq (aid-chat--turn-kind turn) 'edit) " (edit)" ""))
    (let ((overlay (make-overlay (line-beginning-position) (point) nil t nil)))
      (setf (aid-chat--turn-overlay turn) overlay))
    (insert "\n\n")
    (let ((answer (point)))
      (insert "\n\n## You\n\n")
      (setf (aid-chat--turn-start turn) (copy-marker answer nil)
            (aid-chat--turn-end turn) (copy-marker answer t))))
  (aid-chat--show-state turn))

(defun aid-chat--show-state (turn)
  "Show TURN's state after its heading."
  (let ((overlay (aid-chat--turn-overlay turn)))
    (when (overlay-buffer overlay)
      (overlay-put overlay 'after-string
                   (pcase (aid-chat--turn-state turn)
                     ('waiting (propertize "  (waiting for the answer...)" 'face 'shadow))
                     ('streaming (propertize "  (answering...)" 'face 'shadow))
                     (_ nil))))))

(defmacro aid-chat--in-turn-buffer (turn &rest body)
  "Run BODY in TURN's buffer, when that buffer is still live."
  (declare (indent 1) (debug t))
  (let ((buffer (make-symbol "buffer")))
    `(let ((,buffer (marker-buffer (aid-chat--turn-end ,turn))))
       (when (buffer-live-p ,buffer)
         (with-current-buffer ,buffer ,@body)))))

(defun aid-chat--insert-answer (turn text)
  "Append TEXT to TURN's answer."
  (save-excursion
    (goto-char (aid-chat--turn-end turn))
    (insert text)))

(defun aid-chat--on-delta (turn delta)
  "Append the streamed DELTA to TURN's answer."
  (aid-chat--in-turn-buffer turn
    (let ((round (or (plist-get delta :round) 0)))
      (when (> round (aid-chat--turn-round turn))
        ;; The repair round starts a fresh answer.
        (delete-region (aid-chat--turn-start turn) (aid-chat--turn-end turn))
        (setf (aid-chat--turn-round turn) round)))
    (aid-chat--insert-answer turn (plist-get delta :text))
    (unless (aid-chat--turn-first-text-at turn)
      (setf (aid-chat--turn-first-text-at turn) (float-time)))
    (when (eq (aid-chat--turn-state turn) 'waiting)
      (setf (aid-chat--turn-state turn) 'streaming)
      (aid-chat--show-state turn))))

(defun aid-chat--on-resend (turn)
  "Forget what TURN streamed: the daemon restarted and is asked again."
  (aid-chat--in-turn-buffer turn
    (delete-region (aid-chat--turn-start turn) (aid-chat--turn-end turn))
    (setf (aid-chat--turn-state turn) 'waiting
          (aid-chat--turn-round turn) 0)
    (aid-chat--show-state turn)
    (message "Aid: the daemon restarted; asking again")))

(defun aid-chat--on-result (turn result)
  "Finish TURN with the daemon's RESULT."
  (aid-chat--in-turn-buffer turn
    (let ((text (string-trim-right (or (plist-get result :text) "")))
          (start (aid-chat--turn-start turn))
          (end (aid-chat--turn-end turn)))
      ;; The stream normally holds the whole answer; if not, the result wins.
      (unless (string= text (string-trim-right
                             (buffer-substring-no-properties start end)))
        (delete-region start end)
        (aid-chat--insert-answer turn text))
      (save-excursion
        (goto-char end)
        (skip-chars-backward " \t\n" start)
        (delete-region (point) end))
      (setf (aid-chat--turn-result turn) result
            (aid-chat--turn-state turn) 'done)
      (if (eq (aid-chat--turn-kind turn) 'edit)
          (aid-chat--insert-proposals turn (vector result))
        (setq aid-chat--conversation
              (cons (plist-get result :conversationId)
                    (aid-chat--daemon-identity (aid-chat--server))))
        (aid-chat--insert-proposals turn (plist-get result :proposals)))
      (aid-chat--show-state turn)
      (run-hook-with-args 'aid-chat-turn-functions turn))))

(defun aid-chat--on-error (turn err)
  "Finish TURN with the error ERR."
  (aid-chat--in-turn-buffer turn
    (let ((cancelled (eql (plist-get err :code) -32800)))
      (setf (aid-chat--turn-error turn) err
            (aid-chat--turn-state turn) (if cancelled 'cancelled 'failed))
      (aid-chat--insert-answer
       turn (concat (if (= (aid-chat--turn-start turn) (aid-chat--turn-end turn)) "" "\n\n")
                    (if cancelled
                        "*Cancelled.*"
                      (format "*Error: %s*"
                              (string-trim (or (plist-get err :message) "unknown"))))))
      (aid-chat--show-state turn)
      (run-hook-with-args 'aid-chat-turn-functions turn))))


;;; Proposals

(defun aid-chat--proposal-paths (proposal)
  "Return the workspace-relative paths of the files in PROPOSAL."
  (mapcar (lambda (file) (plist-get file :path)) (plist-get proposal :files)))

(defun aid-chat--fence (text)
  "A code fence longer than any run of backticks starting a line of TEXT."
  (let ((fence "```"))
    (while (string-match-p (concat "^" (regexp-quote fence)) text)
      (setq fence (concat fence "`")))
    fence))

(defun aid-chat--status-text (paths status)
  "The status line of a proposal of PATHS in STATUS."
  (format "*%s: %s*" (string-join paths ", ") status))

(defun aid-chat--pending-status (proposal)
  "The status of PROPOSAL before the developer decides."
  (if (eq (plist-get proposal :applies) t)
      (substitute-command-keys
       "ready to apply (\\<aid-chat-mode-map>\\[aid-chat-apply] apply, \
\\[aid-chat-reject] reject, \\[aid-chat-view] view)")
    (format "does not apply: %s"
            (string-trim (or (plist-get proposal :applyError) "no change")))))

(defun aid-chat--insert-proposals (turn proposals)
  "Show PROPOSALS (a vector) at the end of TURN's answer."
  (let ((proposals (cl-remove-if (lambda (proposal)
                                   (string-empty-p (or (plist-get proposal :diff) "")))
                                 (append proposals nil))))
    (cond
     (proposals
      (aid-chat--insert-answer turn (concat "\n\n" aid-chat--proposals-heading))
      (dolist (proposal proposals)
        (let* ((diff (plist-get proposal :diff))
               (fence (aid-chat--fence diff)))
          (puthash (plist-get proposal :proposalId) proposal aid-chat--proposals)
          (aid-chat--insert-answer
           turn
           (concat "\n\n<!-- aid-proposal " (plist-get proposal :proposalId) " -->\n"
                   fence "diff\n" diff (if (string-suffix-p "\n" diff) "" "\n")
                   fence "\n"
                   (aid-chat--status-text (aid-chat--proposal-paths proposal)
                                          (aid-chat--pending-status proposal)))))))
     ((eq (aid-chat--turn-kind turn) 'edit)
      (let ((result (aid-chat--turn-result turn)))
        (aid-chat--insert-answer
         turn (format "\n\n*No change to apply: %s*"
                      (or (plist-get result :applyError) "the answer holds no edit"))))))))

(defun aid-chat--block-at-line ()
  "The proposal block starting at this line, or nil.
A plist: :id, :start, :diff-start, :diff-end, :status-start, :status-end."
  (save-excursion
    (when (looking-at aid-chat--proposal-re)
      (let ((id (match-string-no-properties 1))
            (start (point)))
        (forward-line 1)
        (when (looking-at "\\(```+\\)diff[ \t]*$")
          (let ((fence (match-string-no-properties 1)))
            (forward-line 1)
            (let ((diff-start (point)))
              (when (re-search-forward (concat "^" (regexp-quote fence) "[ \t]*$") nil t)
                (let ((diff-end (match-beginning 0)))
                  (forward-line 1)
                  (list :id id :start start :diff-start diff-start :diff-end diff-end
                        :status-start (point) :status-end (line-end-position)))))))))))

(defun aid-chat--undecided-p (block)
  "Non-nil when the developer has not yet applied or rejected BLOCK."
  (not (string-match-p "\\(?:applied\\|rejected\\|applying\\)"
                       (buffer-substring-no-properties (plist-get block :status-start)
                                                       (plist-get block :status-end)))))

(defun aid-chat--find-block (id)
  "The block of proposal ID, or nil."
  (save-excursion
    (goto-char (point-min))
    (when (re-search-forward (concat "^<!-- aid-proposal " (regexp-quote id) " -->$") nil t)
      (goto-char (match-beginning 0))
      (aid-chat--block-at-line))))

(defun aid-chat--target-block (&optional any)
  "The proposal at point, else the last one not decided yet.
With ANY, else the last one."
  (or (save-excursion
        (let ((pos (point)))
          (end-of-line)
          (when (re-search-backward aid-chat--proposal-re nil t)
            (let ((block (aid-chat--block-at-line)))
              (and block (<= pos (plist-get block :status-end)) block)))))
      (save-excursion
        (goto-char (point-max))
        (let (found)
          (while (and (not found) (re-search-backward aid-chat--proposal-re nil t))
            (let ((block (aid-chat--block-at-line)))
              (when (and block (or any (aid-chat--undecided-p block)))
                (setq found block))))
          found))
      (user-error (if any "No proposal in this conversation"
                    "No proposal here, and none is waiting for a decision"))))

(defun aid-chat--block-paths (block)
  "Return the paths named by the +++ and --- lines of BLOCK's diff."
  (let (paths)
    (save-excursion
      (goto-char (plist-get block :diff-start))
      (while (re-search-forward "^\\(?:\\+\\+\\+\\|---\\) \\(?:[ab]/\\)?\\([^\t\n]+\\)"
                                (plist-get block :diff-end) t)
        (let ((path (match-string-no-properties 1)))
          (unless (or (equal path "/dev/null") (member path paths))
            (push path paths)))))
    (nreverse paths)))

(defun aid-chat--set-status (id status)
  "Show STATUS on the status line of proposal ID."
  (when-let ((block (aid-chat--find-block id)))
    (let ((paths (if-let ((proposal (gethash id aid-chat--proposals)))
                     (aid-chat--proposal-paths proposal)
                   (aid-chat--block-paths block))))
      (save-excursion
        (goto-char (plist-get block :status-start))
        (delete-region (point) (plist-get block :status-end))
        (insert (aid-chat--status-text paths status))))))

(defun aid-chat--status-callback (id)
  "Return a callback for `aid-edit-apply' to show the outcome on proposal ID."
  (let ((buffer (current-buffer)))
    (lambda (err applied)
      (when (buffer-live-p buffer)
        (with-current-buffer buffer
          (if err
              (progn (aid-chat--set-status id (format "apply failed: %s" err))
                     (message "Aid: %s" err))
            (let* ((block (aid-chat--find-block id))
                   (proposal (gethash id aid-chat--proposals))
                   (all (if proposal
                            (aid-chat--proposal-paths proposal)
                          (and block (aid-chat--block-paths block)))))
              (aid-chat--set-status
               id (if (cl-set-difference all applied :test #'equal)
                      (format "partly applied (%s)" (string-join applied ", "))
                    "applied")))))))))

(defun aid-chat-apply (&optional choose)
  "Apply the proposal at point, or the last one not decided yet.
Files open in a buffer change there, as one undoable change per
buffer; the daemon writes the others.  With a prefix argument CHOOSE,
ask which files to apply (a partial accept)."
  (interactive "P")
  (let* ((block (aid-chat--target-block))
         (id (plist-get block :id))
         (proposal (gethash id aid-chat--proposals))
         (server (aid-chat--server))
         (paths (if proposal (aid-chat--proposal-paths proposal) (aid-chat--block-paths block)))
         (chosen (and choose (completing-read-multiple "Apply files: " paths nil t))))
    (condition-case err
        (progn
          (aid-chat--set-status id "applying...")
          (if proposal
              (aid-edit-apply server proposal :paths chosen
                              :on-done (aid-chat--status-callback id))
            ;; Reopened from a file: the daemon applies what it recorded.
            (aid-edit-apply-recorded server id paths :chosen chosen
                                     :on-done (aid-chat--status-callback id))))
      (aid-error
       (aid-chat--set-status id (if proposal (aid-chat--pending-status proposal) "not applied"))
       (user-error "%s" (error-message-string err))))))

(defun aid-chat-reject ()
  "Reject the proposal at point, or the last one not decided yet."
  (interactive)
  (let* ((block (aid-chat--target-block))
         (id (plist-get block :id)))
    (aid-chat--set-status id "rejected")
    (aid-edit-feedback (aid-chat--server) id "rejected")))

(defun aid-chat-view ()
  "Show the diff of the proposal at point, else the last one, in `diff-mode'."
  (interactive)
  (let* ((block (aid-chat--target-block t))
         (proposal (gethash (plist-get block :id) aid-chat--proposals))
         (diff (if proposal
                   (plist-get proposal :diff)
                 (buffer-substring-no-properties (plist-get block :diff-start)
                                                 (plist-get block :diff-end))))
         (root aid-chat--root)
         (buffer (get-buffer-create "*aid diff*")))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert diff))
      (setq default-directory (file-name-as-directory root))
      (diff-mode)
      (setq buffer-read-only t)
      (goto-char (point-min)))
    (pop-to-buffer buffer)))


;;; Cancelling

(defun aid-chat-cancel ()
  "Cancel the answer this conversation is waiting for.
Return non-nil if there was one."
  (interactive)
  (when (aid-chat--busy-p)
    (aid-rpc-cancel (aid-chat--turn-request aid-chat--turn))
    t))

(defun aid-chat-cancel-or-quit ()
  "Cancel the answer that is coming, or quit like \\[keyboard-quit]."
  (interactive)
  (unless (aid-chat-cancel)
    (keyboard-quit)))

(provide 'aid-chat)
;;; aid-chat.el ends here
