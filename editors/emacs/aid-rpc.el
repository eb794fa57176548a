;;; aid-rpc.el --- Connection to the Aid daemon  -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Aid authors

;; This file is part of Aid; it is not part of GNU Emacs.

;;; Commentary:

;; One JSON-RPC connection to the Aid daemon per workspace, built on
;; the built-in `jsonrpc' library over the daemon's Unix socket.
;;
;; A workspace is an `aid-rpc-server': its connection, its state
;; (`disconnected', `connecting', `initializing', `ready') and the
;; requests it has not had an answer to.  A request is an
;; `aid-rpc-request' that survives its connection: when the daemon
;; restarts, `jsonrpc' fails every pending request with "Server died";
;; this file instead reconnects (with back-off), sends `initialize'
;; again and re-sends the requests that were never answered, and those
;; answered with -32002 (DaemonRestarting).  Nothing here touches the
;; user interface; the other files of Aid listen to
;; `aid-rpc-ready-functions' and `aid-rpc-notification-functions'.

;;; Code:

(require 'cl-lib)
(require 'eieio)
(require 'jsonrpc)
(require 'subr-x)

(defgroup aid nil
  "Aid, the AI sidecar daemon for programmers' editors."
  :group 'tools
  :prefix "aid-")

(defcustom aid-executable "aid"
  "The `aid' command: a file name, or a name to look up in variable `exec-path'.
Aid runs \"aid daemon\" with it when no daemon answers on the socket."
  :type '(string :tag "Command")
  :group 'aid)

(defcustom aid-events-buffer-size 0
  "How many characters of JSON-RPC traffic to keep in the events buffer.
0 keeps none (the fastest); nil keeps everything.  The buffer is
named \"*aid[WORKSPACE] events*\"; set this to debug the protocol."
  :type '(choice (const :tag "None" 0)
                 (const :tag "Unlimited" nil)
                 (integer :tag "Characters"))
  :group 'aid)

(defconst aid-version "0.1.0"
  "The version of Aid's Emacs client.")

(defconst aid-rpc--connect-timeout 5.0
  "Seconds to keep trying to connect after starting the daemon.")

(defconst aid-rpc--max-backoff 1.0
  "The longest pause, in seconds, between two connection attempts.")

(define-error 'aid-error "Aid error")

(defvar aid-rpc-ready-functions nil
  "Functions called with a server each time it has been (re)initialized.")

(defvar aid-rpc-notification-functions nil
  "Functions called with SERVER, METHOD (a symbol) and PARAMS (a plist).
They receive the daemon's notifications that are not stream deltas,
such as `build/statusChanged'.")

(defvar aid-rpc-state-change-functions nil
  "Functions called with a server whenever its connection state changes.")

(defvar aid-rpc--servers (make-hash-table :test #'equal)
  "The workspaces Aid knows, by root directory (no trailing slash).")

(defvar aid-rpc--next-token 0
  "The counter behind the stream tokens of this Emacs.")


;;; Data

(cl-defstruct (aid-rpc-server (:constructor aid-rpc--make-server)
                              (:copier nil))
  "A workspace and its connection to the daemon."
  (root nil :documentation "The workspace root, absolute, without trailing slash.")
  (connection nil :documentation "The live `aid-rpc--connection', or nil.")
  (state 'disconnected :documentation "`disconnected', `connecting', `initializing' or `ready'.")
  (info nil :documentation "The result of the last `initialize' (a plist).")
  (requests nil :documentation "Requests without a final answer, oldest first.")
  (streams (make-hash-table :test #'equal) :documentation "Stream token -> request.")
  (timer nil :documentation "The timer of the next connection attempt.")
  (attempts 0 :documentation "Connection attempts since the last success.")
  (deadline nil :documentation "When to stop trying to connect (a float time).")
  (daemon-started nil :documentation "Non-nil once this attempt started the daemon.")
  (autostart nil :documentation "Non-nil when the user asked for the connection.")
  (last-error nil :documentation "Why the last connection attempt failed.")
  (closing nil :documentation "Non-nil while Aid closes the connection on purpose."))

(cl-defstruct (aid-rpc-request (:constructor aid-rpc--make-request)
                               (:copier nil))
  "A request to the daemon that outlives connections."
  (server nil :documentation "The `aid-rpc-server'.")
  (method nil :documentation "The method, a string.")
  (params nil :documentation "The params, a plist.")
  (id nil :documentation "The JSON-RPC id on the current connection.")
  (connection nil :documentation "The connection it was sent on.")
  (state 'queued :documentation "`queued', `sent' or `done'.")
  (sends 0 :documentation "How many times it was sent.")
  (cancelled nil :documentation "Non-nil once the user cancelled it.")
  (token nil :documentation "Its stream token, when it streams.")
  (sent-at nil :documentation "When it was last sent (a float time).")
  (on-result nil :documentation "Called with the result.")
  (on-error nil :documentation "Called with the error (a plist with :code and :message).")
  (on-delta nil :documentation "Called with each stream notification's params.")
  (on-resend nil :documentation "Called when it is sent again after a restart."))

(defclass aid-rpc--connection (jsonrpc-process-connection)
  ((last-request-id
    :initform nil
    :accessor aid-rpc--last-request-id
    :documentation "The id of the last request sent."))
  :documentation "A connection to the Aid daemon.")

(cl-defmethod jsonrpc-connection-send :before
  ((connection aid-rpc--connection)
   &key id method (result nil result-p) (error nil error-p) &allow-other-keys)
  "Remember ID when CONNECTION sends a request for METHOD.
A message with a RESULT or an ERROR is a reply, not a request.
`jsonrpc-async-request' of Emacs 28 does not return the id it chose;
Aid needs it to cancel the request."
  (ignore result error)
  (when (and id method (not result-p) (not error-p))
    (setf (aid-rpc--last-request-id connection) id)))


;;; Finding the daemon

(defun aid-rpc-socket-path ()
  "Return the daemon's socket file name, as the daemon itself does.
$AID_SOCKET, else $XDG_RUNTIME_DIR/aid/aid.sock, else
/tmp/aid-UID/aid.sock."
  (let ((explicit (getenv "AID_SOCKET"))
        (runtime (getenv "XDG_RUNTIME_DIR")))
    (cond ((and explicit (not (string-empty-p explicit))) explicit)
          ((and runtime (not (string-empty-p runtime)))
           (expand-file-name "aid/aid.sock" runtime))
          (t (format "/tmp/aid-%d/aid.sock" (user-uid))))))

(defun aid-rpc--start-daemon (server)
  "Run \"aid daemon\" for SERVER; it detaches, so do not wait."
  (setf (aid-rpc-server-daemon-started server) t)
  (let ((output (get-buffer-create " *aid daemon start*")))
    (with-current-buffer output (let ((inhibit-read-only t)) (erase-buffer)))
    (condition-case err
        (make-process
         :name "aid daemon"
         :buffer output
         :command (list aid-executable "daemon")
         :connection-type 'pipe
         :noquery t
         :sentinel
         (lambda (process _event)
           (when (and (memq (process-status process) '(exit signal))
                      (/= 0 (process-exit-status process)))
             (setf (aid-rpc-server-last-error server)
                   (format "\"%s daemon\" failed: %s" aid-executable
                           (string-trim
                            (with-current-buffer (process-buffer process)
                              (buffer-string))))))))
      (file-error
       (setf (aid-rpc-server-last-error server)
             (format "cannot run %s: %s (set `aid-executable')"
                     aid-executable (error-message-string err)))))))


;;; Servers

(defun aid-rpc-server (root)
  "The server of the workspace at ROOT, made when needed.
It is not connected yet; see `aid-rpc-ensure'."
  (let ((key (directory-file-name (expand-file-name root))))
    (or (gethash key aid-rpc--servers)
        (puthash key (aid-rpc--make-server :root key) aid-rpc--servers))))

(defun aid-rpc-servers ()
  "Every workspace Aid knows."
  (hash-table-values aid-rpc--servers))

(defun aid-rpc-server-for-file (file)
  "Return the deepest known server with FILE in its workspace, or nil."
  (let ((file (expand-file-name file))
        best)
    (maphash (lambda (root server)
               (when (and (string-prefix-p (file-name-as-directory root) file)
                          (or (null best)
                              (> (length root) (length (aid-rpc-server-root best)))))
                 (setq best server)))
             aid-rpc--servers)
    best))

(defun aid-rpc-ready-p (server)
  "Non-nil when SERVER is connected and initialized."
  (eq (aid-rpc-server-state server) 'ready))

(defun aid-rpc--set-state (server state)
  "Set SERVER's STATE and tell `aid-rpc-state-change-functions'."
  (unless (eq (aid-rpc-server-state server) state)
    (setf (aid-rpc-server-state server) state)
    (run-hook-with-args 'aid-rpc-state-change-functions server)))

(defun aid-rpc-ensure (server)
  "Connect SERVER unless it is connected or connecting.
Start the daemon when none answers.  Returns SERVER at once; the
connection completes asynchronously and requests wait for it."
  (setf (aid-rpc-server-autostart server) t)
  (when (eq (aid-rpc-server-state server) 'disconnected)
    (setf (aid-rpc-server-attempts server) 0)
    (aid-rpc--begin-connecting server))
  server)

(defun aid-rpc--begin-connecting (server)
  "Start a series of connection attempts for SERVER.
The first is immediate, unless SERVER's last connection failed before
it was ready (a daemon that accepts and closes): then back off."
  (setf (aid-rpc-server-deadline server) nil
        (aid-rpc-server-daemon-started server) nil
        (aid-rpc-server-last-error server) nil)
  (aid-rpc--set-state server 'connecting)
  (if (zerop (aid-rpc-server-attempts server))
      (aid-rpc--attempt server)
    (aid-rpc--schedule-attempt server)))

(defun aid-rpc--schedule-attempt (server)
  "Try to connect SERVER again after a back-off."
  (let ((delay (min aid-rpc--max-backoff
                    (* 0.02 (expt 2 (min 10 (aid-rpc-server-attempts server)))))))
    (setf (aid-rpc-server-timer server)
          (run-at-time delay nil #'aid-rpc--attempt server))))

(defun aid-rpc--attempt (server)
  "Try once to connect SERVER; on failure, start the daemon or retry."
  (setf (aid-rpc-server-timer server) nil)
  (cl-incf (aid-rpc-server-attempts server))
  (let ((connection (aid-rpc--open server)))
    (cond
     (connection
      (setf (aid-rpc-server-connection server) connection)
      (aid-rpc--initialize server connection))
     ((not (or (aid-rpc-server-autostart server)
               (aid-rpc-server-requests server)))
      ;; Lost the daemon and nobody needs it now: wait for the next request.
      (aid-rpc--set-state server 'disconnected))
     ((not (aid-rpc-server-daemon-started server))
      (aid-rpc--start-daemon server)
      (setf (aid-rpc-server-deadline server)
            (+ (float-time) aid-rpc--connect-timeout))
      (aid-rpc--schedule-attempt server))
     ((< (float-time) (aid-rpc-server-deadline server))
      (aid-rpc--schedule-attempt server))
     (t
      (aid-rpc--give-up server)))))

(defun aid-rpc--give-up (server)
  "Fail SERVER's waiting requests: the daemon cannot be reached."
  (let ((why (format "cannot reach the Aid daemon at %s%s"
                     (aid-rpc-socket-path)
                     (if-let ((err (aid-rpc-server-last-error server)))
                         (concat ": " err) ""))))
    (aid-rpc--set-state server 'disconnected)
    (setf (aid-rpc-server-autostart server) nil)
    (message "Aid: %s" why)
    (dolist (request (aid-rpc-server-requests server))
      (aid-rpc--finish request nil (list :code -32000 :message why)))))

(defun aid-rpc--open (server)
  "Open a connection for SERVER's workspace, or return nil."
  (let ((name (format "aid[%s]" (file-name-nondirectory (aid-rpc-server-root server))))
        process)
    (condition-case err
        (setq process (make-network-process
                       :name name
                       :family 'local
                       :service (aid-rpc-socket-path)
                       :coding 'utf-8-emacs-unix
                       :noquery t))
      (file-error
       (setf (aid-rpc-server-last-error server) (error-message-string err))
       nil))
    (when process
      (let ((connection
             (make-instance
              'aid-rpc--connection
              :name name
              :process process
              (if (slot-exists-p 'jsonrpc-connection '-events-buffer-config)
                  :events-buffer-config ; jsonrpc 1.0.19 and later
                :events-buffer-scrollback-size)
              (if (slot-exists-p 'jsonrpc-connection '-events-buffer-config)
                  (list :size aid-events-buffer-size)
                aid-events-buffer-size)
              :notification-dispatcher
              (lambda (_connection method params)
                (aid-rpc--notification server method params))
              :request-dispatcher
              (lambda (_connection method _params)
                (jsonrpc-error :code -32601
                               :message (format "Aid's Emacs client has no method %s" method)))
              :on-shutdown
              (lambda (connection) (aid-rpc--lost server connection)))))
        ;; jsonrpc announces every closed connection; a restart is routine.
        (add-function :around (process-sentinel process) #'aid-rpc--quiet-sentinel)
        connection))))

(defun aid-rpc--quiet-sentinel (sentinel process event)
  "Call SENTINEL with PROCESS and EVENT without echoing its messages."
  (let ((inhibit-message t))
    (funcall sentinel process event)))

(defun aid-rpc--initialize (server connection)
  "Send `initialize' on SERVER's new CONNECTION, then flush its requests."
  (aid-rpc--set-state server 'initializing)
  ;; If the write fails, the connection has closed: its sentinel runs
  ;; `aid-rpc--lost', which tries again.
  (ignore-errors
    (jsonrpc-async-request
     connection 'initialize
     (list :clientName "aid.el"
           :clientVersion aid-version
           :editor (format "Emacs %s" emacs-version)
           :workspaceRoot (aid-rpc-server-root server)
           :processId (emacs-pid))
     :success-fn
     (lambda (info)
       (when (eq connection (aid-rpc-server-connection server))
         (setf (aid-rpc-server-info server) info
               (aid-rpc-server-attempts server) 0
               (aid-rpc-server-last-error server) nil)
         (aid-rpc--set-state server 'ready)
         (dolist (request (aid-rpc-server-requests server))
           (when (eq (aid-rpc-request-state request) 'queued)
             (aid-rpc--send request)))
         (run-hook-with-args 'aid-rpc-ready-functions server)))
     :error-fn
     (lambda (err)
       ;; A closed connection is handled by `aid-rpc--lost'.
       (unless (eql (plist-get err :code) -1)
         (when (eq connection (aid-rpc-server-connection server))
           (setf (aid-rpc-server-last-error server)
                 (format "initialize failed: %s" (plist-get err :message)))
           (aid-rpc-close server)
           (aid-rpc--give-up server))))
     :timeout 30)))

(defun aid-rpc--lost (server connection)
  "React to the end of SERVER's CONNECTION: reconnect unless closing."
  (when (eq connection (aid-rpc-server-connection server))
    (setf (aid-rpc-server-connection server) nil)
    (if (aid-rpc-server-closing server)
        (aid-rpc--set-state server 'disconnected)
      ;; A restarting daemon keeps its socket open: connect again at once.
      (setf (aid-rpc-server-autostart server) nil)
      (aid-rpc--begin-connecting server))))

(defun aid-rpc-close (server)
  "Close SERVER's connection on purpose, without reconnecting."
  (when-let ((timer (aid-rpc-server-timer server)))
    (cancel-timer timer)
    (setf (aid-rpc-server-timer server) nil))
  (when-let ((connection (aid-rpc-server-connection server)))
    (setf (aid-rpc-server-closing server) t)
    (unwind-protect
        (jsonrpc-shutdown connection)
      (setf (aid-rpc-server-closing server) nil
            (aid-rpc-server-connection server) nil)))
  (aid-rpc--set-state server 'disconnected))


;;; Requests

(cl-defun aid-rpc-request (server method params
                                  &key on-result on-error on-delta on-resend)
  "Send request METHOD with PARAMS (a plist) to SERVER; return at once.
Return an `aid-rpc-request'.  ON-RESULT is called with the result,
ON-ERROR with the error plist (:code, :message, :data).  When ON-DELTA
is given, the request gets a fresh stream token in :streamToken and
ON-DELTA receives the params of each delta notification with that
token.  ON-RESEND is called when the request is sent again because
the daemon restarted before answering; what it streamed so far is
then obsolete.  The request waits while SERVER connects."
  (let ((request (aid-rpc--make-request
                  :server server :method method :params params
                  :on-result on-result :on-error on-error
                  :on-delta on-delta :on-resend on-resend)))
    (when on-delta
      (let ((token (format "aid.el-%d-%d" (emacs-pid) (cl-incf aid-rpc--next-token))))
        (setf (aid-rpc-request-token request) token
              (aid-rpc-request-params request)
              (append (list :streamToken token) params))
        (puthash token request (aid-rpc-server-streams server))))
    (setf (aid-rpc-server-requests server)
          (append (aid-rpc-server-requests server) (list request)))
    (if (aid-rpc--usable-p server)
        (aid-rpc--send request)
      (aid-rpc-ensure server))
    request))

(defun aid-rpc--usable-p (server)
  "Non-nil when a request can be sent to SERVER now.
The connection may have closed before `jsonrpc' noticed: its process
sentinel runs later, and reconnects."
  (and (aid-rpc-ready-p server)
       (aid-rpc-server-connection server)
       (jsonrpc-running-p (aid-rpc-server-connection server))))

(defun aid-rpc--send (request)
  "Send REQUEST on its server's current connection."
  (let* ((server (aid-rpc-request-server request))
         (connection (aid-rpc-server-connection server)))
    (when (> (aid-rpc-request-sends request) 0)
      (when-let ((on-resend (aid-rpc-request-on-resend request)))
        (funcall on-resend)))
    (setf (aid-rpc-request-state request) 'sent
          (aid-rpc-request-connection request) connection
          (aid-rpc-request-sent-at request) (float-time))
    (cl-incf (aid-rpc-request-sends request))
    (condition-case nil
        (let ((sent (jsonrpc-async-request
                     connection (intern (aid-rpc-request-method request))
                     (aid-rpc-request-params request)
                     :success-fn
                     (lambda (result)
                       (when (eq connection (aid-rpc-request-connection request))
                         (aid-rpc--finish request result nil)))
                     :error-fn
                     (lambda (err)
                       (when (eq connection (aid-rpc-request-connection request))
                         (aid-rpc--failed request err)))
                     :timeout nil)))
          ;; jsonrpc 1.0.19 and later return (ID TIMER); earlier ones nil.
          (setf (aid-rpc-request-id request)
                (if (consp sent) (car sent) (aid-rpc--last-request-id connection))))
      ;; The connection broke under us; its sentinel reconnects.
      (error (setf (aid-rpc-request-state request) 'queued
                   (aid-rpc-request-connection request) nil)))))

(defun aid-rpc--failed (request err)
  "Handle ERR, the error answer to REQUEST."
  (let ((code (plist-get err :code)))
    (cond
     ((and (memql code '(-1 -32002)) (aid-rpc-request-cancelled request))
      (aid-rpc--finish request nil (list :code -32800 :message "Cancelled")))
     ((memql code '(-1 -32002))
      ;; -1: the connection closed before an answer, so the daemon never
      ;; read the request; -32002: the daemon restarted before finishing
      ;; it.  Either way, send it again once reconnected.
      ;; The connection closes right after (or has closed): `aid-rpc--lost'
      ;; reconnects and `aid-rpc--initialize' sends the queue.
      (setf (aid-rpc-request-state request) 'queued
            (aid-rpc-request-connection request) nil
            (aid-rpc-request-id request) nil))
     (t (aid-rpc--finish request nil err)))))

(defun aid-rpc--finish (request result err)
  "Give REQUEST its final RESULT or ERR and forget it."
  (unless (eq (aid-rpc-request-state request) 'done)
    (let ((server (aid-rpc-request-server request)))
      (setf (aid-rpc-request-state request) 'done
            (aid-rpc-server-requests server)
            (delq request (aid-rpc-server-requests server)))
      (when-let ((token (aid-rpc-request-token request)))
        (remhash token (aid-rpc-server-streams server))))
    (if err
        (when-let ((on-error (aid-rpc-request-on-error request)))
          (funcall on-error err))
      (when-let ((on-result (aid-rpc-request-on-result request)))
        (funcall on-result result)))))

(defun aid-rpc-request-done-p (request)
  "Non-nil when REQUEST has had its final answer."
  (eq (aid-rpc-request-state request) 'done))

(defun aid-rpc-cancel (request)
  "Cancel REQUEST: send `$/cancelRequest' if it is in flight.
The daemon then answers it with -32800, which reaches its ON-ERROR;
a request still waiting for a connection fails the same way at once."
  (setf (aid-rpc-request-cancelled request) t)
  (pcase (aid-rpc-request-state request)
    ('sent
     (let ((connection (aid-rpc-request-connection request)))
       (unless (and connection (jsonrpc-running-p connection)
                    (ignore-errors
                      (jsonrpc-notify connection '$/cancelRequest
                                      (list :id (aid-rpc-request-id request)))
                      t))
         (aid-rpc--finish request nil (list :code -32800 :message "Cancelled")))))
    ('queued
     (aid-rpc--finish request nil (list :code -32800 :message "Cancelled")))))

(defun aid-rpc-request-sync (server method params &optional timeout)
  "Send METHOD with PARAMS to SERVER and wait for the result.
Wait at most TIMEOUT seconds (default 10).  Signal `aid-error' on an
error answer or a timeout.  \\[keyboard-quit] cancels the request."
  (let* ((outcome nil) (value nil)
         (request (aid-rpc-request
                   server method params
                   :on-result (lambda (result) (setq outcome 'result value result))
                   :on-error (lambda (err) (setq outcome 'error value err))))
         (deadline (+ (float-time) (or timeout 10))))
    (unwind-protect
        (while (and (not outcome) (< (float-time) deadline))
          (accept-process-output nil 0.05))
      (unless outcome (aid-rpc-cancel request)))
    (pcase outcome
      ('result value)
      ('error (signal 'aid-error (list (format "%s failed: %s" method
                                               (plist-get value :message))
                                       value)))
      (_ (signal 'aid-error (list (format "%s: no answer within %s s"
                                          method (or timeout 10))))))))

(defun aid-rpc--notification (server method params)
  "Dispatch the notification METHOD with PARAMS from SERVER's daemon."
  (pcase method
    ((or 'chat/delta 'edit/delta 'models/delta)
     (when-let ((request (gethash (plist-get params :token)
                                  (aid-rpc-server-streams server)))
                (on-delta (aid-rpc-request-on-delta request)))
       (funcall on-delta params)))
    (_ (run-hook-with-args 'aid-rpc-notification-functions server method params))))

(provide 'aid-rpc)
;;; aid-rpc.el ends here
