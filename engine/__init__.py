"""SpiffWorkflow behind one public API: deploy, start, complete, query, jobs, sandbox, persistence.

Everything outside the engine imports from here, never from a module inside it (an
import-linter contract holds this). Only the engine imports SpiffWorkflow. The engine's tables
may be read with a unit of work's session; they are written only by the engine itself: by a step
of an instance (:class:`Engine`) or by the few writes in :mod:`engine.records` that a use case
makes inside its own transaction (an audit event, an outbox mail, who has an open task).
"""

from engine import clock
from engine.amend import Reassignment
from engine.bench import format_report as format_bench_report
from engine.bench import run_engine_bench
from engine.bench_raw import DEFAULT_POSTGRES as BENCH_POSTGRES
from engine.bench_raw import RawCase as BenchRawCase
from engine.bench_raw import fresh_postgres as bench_fresh_postgres
from engine.bench_raw import median_ms as bench_median_ms
from engine.bench_raw import value_size as bench_value_size
from engine.bundle import BUNDLE_SUFFIXES, MODEL_SUFFIXES, BundleCatalog, CatalogFor
from engine.calendar import day_in_words, is_working_day
from engine.clock import frozen_at as frozen_clock
from engine.clock import now
from engine.consistency import OpenParts, open_parts
from engine.db import Base, Database, UtcDateTime, default_database_url, normalise_url, sqlite_file_settings
from engine.deploy import DeployResult
from engine.deploy import read_model_files as read_bundle_files
from engine.dmn_replay import CompiledDecision, DecisionUnusable, compile_decision
from engine.dmn_table import DecisionInput, DecisionInputs, decision_inputs
from engine.dmn_try import DecisionTrial, FiredRule, try_decision
from engine.errors import (
    ConcurrentUpdate,
    DiagramError,
    EngineError,
    InvalidTaskData,
    MailNotSent,
    MessageNotExpected,
    ModelInvalid,
    ModelProblem,
    NotFound,
    TaskAlreadyCompleted,
)
from engine.final_state import FINAL_FORMAT, FinishedCase
from engine.handlers import HandlerContext, HandlerFailed, HandlerRegistry
from engine.job_purge import purge_done_jobs
from engine.jobs import work_forever
from engine.mail import FolderMailer, Mail, Mailer, SmtpMailer
from engine.migration import CannotMove, MoveCheck
from engine.outline import MESSAGE_WAIT, START, USER_TASK, AttachedTimer, OutlineElement, ProcessOutline
from engine.parsing import BPMN_NS
from engine.queries import WaitingMessage
from engine.records import queue_mail, record_audit, set_task_assignee, task_completion
from engine.redaction import redact_instance
from engine.running import add as add_running_counts
from engine.scenarios import OpenTask as ScenarioOpenTask
from engine.scenarios import Step as ScenarioStep
from engine.scenarios import Trace as ScenarioTrace
from engine.scenarios import run_scenario
from engine.service import Engine, InstanceInfo
from engine.step_hooks import StepDone, StepHook, StepSql
from engine.tables import (
    AuditEvent,
    Job,
    ModelBundle,
    ModelVersion,
    OpenTask,
    OpenTaskGroup,
    ProcessInstance,
    RunningCount,
)
from engine.validation import Organisation, validate_files, validate_paths
from engine.xmlsafe import MAX_MODEL_BYTES, UnsafeXml, parse_xml

__all__ = [
    "BENCH_POSTGRES",
    "BenchRawCase",
    "bench_fresh_postgres",
    "bench_median_ms",
    "bench_value_size",
    "frozen_clock",
    "BPMN_NS",
    "MAX_MODEL_BYTES",
    "MESSAGE_WAIT",
    "BUNDLE_SUFFIXES",
    "MODEL_SUFFIXES",
    "START",
    "USER_TASK",
    "AttachedTimer",
    "AuditEvent",
    "Base",
    "BundleCatalog",
    "CannotMove",
    "CatalogFor",
    "CompiledDecision",
    "ConcurrentUpdate",
    "Database",
    "DecisionInput",
    "DecisionInputs",
    "DecisionTrial",
    "DecisionUnusable",
    "DeployResult",
    "DiagramError",
    "Engine",
    "EngineError",
    "FiredRule",
    "FolderMailer",
    "HandlerContext",
    "HandlerFailed",
    "HandlerRegistry",
    "InstanceInfo",
    "InvalidTaskData",
    "Job",
    "Mail",
    "MailNotSent",
    "Mailer",
    "MessageNotExpected",
    "ModelBundle",
    "ModelInvalid",
    "ModelProblem",
    "ModelVersion",
    "OpenParts",
    "MoveCheck",
    "NotFound",
    "FinishedCase",
    "FINAL_FORMAT",
    "OpenTask",
    "OpenTaskGroup",
    "Organisation",
    "OutlineElement",
    "ProcessInstance",
    "RunningCount",
    "add_running_counts",
    "open_parts",
    "day_in_words",
    "ProcessOutline",
    "Reassignment",
    "ScenarioOpenTask",
    "ScenarioStep",
    "ScenarioTrace",
    "SmtpMailer",
    "StepDone",
    "StepHook",
    "StepSql",
    "TaskAlreadyCompleted",
    "UnsafeXml",
    "UtcDateTime",
    "WaitingMessage",
    "clock",
    "compile_decision",
    "decision_inputs",
    "default_database_url",
    "format_bench_report",
    "is_working_day",
    "normalise_url",
    "now",
    "parse_xml",
    "purge_done_jobs",
    "queue_mail",
    "read_bundle_files",
    "record_audit",
    "redact_instance",
    "run_engine_bench",
    "run_scenario",
    "set_task_assignee",
    "sqlite_file_settings",
    "task_completion",
    "try_decision",
    "validate_files",
    "validate_paths",
    "work_forever",
]
