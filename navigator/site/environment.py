"""The one place that makes the jinja2 environment, and the per-build renderer around it."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from types import CodeType, FunctionType
from typing import TYPE_CHECKING

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from navigator.hashing import digest
from navigator.model import Program
from navigator.site.discovery import jsonld_markup, page_url, plain_words, program_share_markup, share_meta_markup
from navigator.site.formatting import contact_html, deadline_html, escape_text, japanese_date, plain_lines
from navigator.site.interface import Interface, interface
from navigator.site.markdown import Markdown
from navigator.site.memo import RenderMemo, template_variables
from navigator.site.pages import JAPANESE_ONLY_PAGES, category_page, program_page
from navigator.site.templates import templates_dir  # noqa: F401  (its callers import it from here)

if TYPE_CHECKING:  # its regular expressions take 20 ms to compile: imported only by a build with やさしい日本語
    from navigator.site.ruby import Furigana


class Renderer:
    """The templates of one build, with what that build memoises: Markdown, contacts, deadlines, fragments.

    `memo` is what the build cache kept of earlier builds (and keeps of this one); `bytecode_folder`
    keeps the compiled templates for the next build.
    """

    def __init__(self, memo: RenderMemo, bytecode_folder: Path | None = None, language: Interface | None = None,
                 markdown: Markdown | None = None, furigana: Furigana | None = None,
                 template_code: TemplateCode | None = None) -> None:
        self.memo = memo
        self.language = language or interface("ja")
        # The やさしい日本語 edition's ルビ (site/ruby.py), on its pages and the HTML of its data files.
        self.furigana = furigana
        self.readings = digest(repr(sorted(furigana.readings.items()))) if furigana is not None else ""
        # One per build, shared by the languages' renderers: a text not translated yet is converted once.
        self.markdown = markdown or Markdown()
        # Many programs share a deadline and a contact, and the site's contact is in every footer: made once.
        self.contact_html = functools.lru_cache(maxsize=None, typed=True)(contact_html)
        self.deadline_html = functools.lru_cache(maxsize=None, typed=True)(functools.partial(deadline_html, language=self.language))
        self._contact_blocks: dict[tuple, str] = {}
        # One per build too: each template is parsed and its Python generated once, for every language.
        self.template_code = template_code or TemplateCode()
        self.env = _environment(bytecode_folder, self.language, self.template_code)
        # Kept for a `_()` the templates call with a word known only at run time (the others are folded in).
        self.env.install_gettext_callables(self.language.gettext, self.language.ngettext, newstyle=True)
        self.env.filters.update(markdown=self.markdown.markup, lines=plain_lines, contact=self.contact_html,
                                deadline=self.deadline_html, japanese_date=japanese_date, plain=plain_text,
                                date=self.language.date, word=self.language.gettext)  # a date in the page's language
        self.env.globals.update(program_page=program_page, category_page=category_page,
                                program_summaries=self._program_summaries,
                                program_contact=lambda program: Markup(self.contact_block(program)),
                                page_url=page_url, share_meta=share_meta_markup, program_share_meta=program_share_markup,
                                government_service_jsonld=jsonld_markup)

    def fragment_kind(self, kind: str) -> str:
        """A memo's kind of fragment in this renderer's language (the memo may serve every language's renderer), and
        with its ルビ readings (a 用語 読み changed: the fragments are made again)."""
        if self.language.is_japanese:
            return kind
        return f"{kind}:{self.language.code}:{self.readings}" if self.readings else f"{kind}:{self.language.code}"

    def ruby(self, html: str) -> str:
        """HTML with ルビ on its kanji in the やさしい日本語 edition; as it is in any other."""
        return html if self.furigana is None else self.furigana.annotate(html)

    def text_ruby(self, text: str) -> str | None:
        """A plain text as HTML with ルビ, for the page's JavaScript to show in its place; None when it has no ルビ (in a
        language other than やさしい日本語, or no kanji to read)."""
        if self.furigana is None:
            return None
        html = self.furigana.annotate(escape_text(text))
        return html if "<ruby>" in html else None

    def template(self, name: str) -> jinja2.Template:
        return self.env.get_template(name)

    def load_templates(self) -> None:
        """Every template compiled, and the variables of each page template learned (the memo keeps them): done in
        the build process while the workers check the workbooks (pipeline.py), so that the workers forked to make the
        pages have them, not each compiling its own (10,000 programs: about 50 ms in each process, after the check)."""
        for path in sorted(templates_dir().glob("*.html")):
            if not self.language.is_japanese and path.name in JAPANESE_ONLY_PAGES:
                continue  # no page of this language uses it
            self.template(path.name)
            if not path.name.startswith("_"):  # a part of pages, not a page
                self.variables(path.name)

    def variables(self, name: str) -> frozenset[str] | None:
        """Every variable template `name` reads (None: cannot be told)."""
        return template_variables(self.env, name, self.memo.template_variables, self.memo.parsed_templates)

    def contact_block(self, program: Program) -> str:
        """_contact.html for a program: made of its 問い合わせ先 and its department only, so made once for each."""
        key = (type(program.contact), program.contact, program.department)
        html = self._contact_blocks.get(key)
        if html is None:
            html = self._contact_blocks[key] = self.template("_contact.html").render(program=program)
        return html

    def summary(self, program: Program, root: str) -> str:
        """A program's entry in the lists of programs (_program_summary.html), once for every page that lists it."""
        return self._summaries([program], root)[0].decode("utf-8")

    def _summaries(self, programs: Sequence[Program], root: str) -> list[bytes]:
        # The language is in the kind: a summary's labels are in its words (Japanese keeps the kind it had).
        return self.memo.fragments_of(self.fragment_kind(f"summary{root}"), programs,
                                      lambda program: self.template("_program_summary.html").render(root=root, program=program))

    def _program_summaries(self, programs, root: str) -> Markup:
        return Markup(b"".join(self._summaries(programs, root)).decode("utf-8"))


def plain_text(html) -> Markup:
    """Rendered markup as text (escaped again), without the labels of untranslated texts (site/edition.py): a
    <title>, an attribute."""
    return escape(plain_words(html))


class _CodeGenerator(CodeGenerator):
    """jinja2's, with each `{{ value }}` of an autoescaped template written out by escape_text (the output's pieces
    are only joined: into the page, or into the markup of a block, a macro or a filtered part)."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
            return
        super()._output_child_pre(node, frame, finalize)


class _Context(jinja2.runtime.Context):
    """jinja2's, with a call to a plain function (the site's globals: program_page, share_meta_markup, …; about 9 a
    page) made at once: no function of the site asks for the context, which jinja2 looks for on every call."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - jinja2's own names: a keyword argument may be `self`
        if type(__obj) is FunctionType and getattr(__obj, "jinja_pass_arg", None) is None:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


CODE_GENERATOR = "escape_text 1"  # in the compiled templates' checksum: kept code was made by this generator


class _InterfaceEnvironment(jinja2.Environment):
    """The environment of one language's templates, with its interface words folded into the compiled code.

    `{{ _("次へ") }}` is looked up once, when the template is compiled, not on every page: jinja2's i18n
    extension calls gettext at run time, about 25 times a page, a fifth of a language's page time. The result
    is what the extension gives (newstyle, autoescaped): the translation as markup, its values escaped in.
    The Python of each template is generated once for all languages (TemplateCode), the words put in after.
    """

    code_generator_class = _CodeGenerator
    context_class = _Context
    escape_text = staticmethod(escape_text)

    def __init__(self, language: Interface, template_code: TemplateCode | None = None, **options) -> None:
        super().__init__(**options)
        self.interface = language
        self.template_code = template_code
        self.placeholders: list[tuple[str, bool]] | None = None  # TemplateCode's own environment: the words folded

    def make_globals(self, d):
        # A plain dict, not jinja2's ChainMap over the environment's globals: each render copies its template's globals
        # into a new context (twice, key by key in Python for a ChainMap), 20,000 renders a build. The Renderer sets
        # every global before the first template is loaded, as jinja2 asks ("avoid modifying any globals after").
        return {**self.globals, **(d or {})}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if self.autoescape is not True:  # the extension's result is markup only in autoescaped templates
            return tree
        return _GettextFolder(self).visit(tree)

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if self.template_code is not None and isinstance(source, str) and not raw and not defer_init:
            code = self.template_code.compiled(self, source, name, filename)
            if code is not None:
                return code
        return super().compile(source, name, filename, raw, defer_init)


class _GettextFolder(NodeTransformer):
    """`_("…", name=value)` with a constant word becomes `Markup("translation") % {"name": value}`; in TemplateCode's
    environment, a numbered placeholder instead of the translation."""

    def __init__(self, environment: _InterfaceEnvironment) -> None:
        self.environment = environment

    def visit_Call(self, call: nodes.Call) -> nodes.Node:
        call = self.generic_visit(call)
        if not (isinstance(call.node, nodes.Name) and call.node.name == "_" and len(call.args) == 1
                and isinstance(call.args[0], nodes.Const) and isinstance(call.args[0].value, str)
                and call.dyn_args is None and call.dyn_kwargs is None):
            return call
        word, with_values = call.args[0].value, bool(call.kwargs)
        placeholders = self.environment.placeholders
        if placeholders is not None:
            placeholders.append((word, with_values))
            translated = _placeholder(len(placeholders) - 1, with_values)
        else:
            translated = _folded_word(self.environment.interface, word, with_values)
            if translated is None:
                return call  # a malformed word fails at run time, as it did
        if with_values:
            folded = nodes.Mod(nodes.MarkSafe(nodes.Const(translated)),
                               nodes.Dict([nodes.Pair(nodes.Const(k.key), k.value) for k in call.kwargs]))
        else:
            folded = nodes.MarkSafe(nodes.Const(translated))
        return folded.set_lineno(call.lineno).set_environment(self.environment)


def _folded_word(language: Interface, word: str, with_values: bool) -> str | None:
    """A word's translation as the extension gives it (markup; without values, `%%` read as `%`), to fold into the
    code; None for a word the extension would fail on (left to the run time)."""
    translated = Markup(language.gettext(word))
    if not with_values:
        try:
            translated = translated % {}
        except (TypeError, ValueError, KeyError):
            return None
    return str(translated)


def _placeholder(index: int, with_values: bool) -> str:
    # NUL never stands in a template; the lower-case letter would change under a filter (upper, title) applied while
    # compiling, a lone "%" makes `%` formatting fail while compiling (so a word's values are put in on each page).
    return f"\x00w{index}\x00" + ("%" if with_values else "")


# A placeholder as it stands in the generated Python: inside a string literal, written by repr().
_PLACEHOLDER_IN_CODE = re.compile(r"\\x00w(\d+)\\x00(%?)")


def _in_literal(text: str) -> str:
    """`text` written to stand inside a Python string literal quoted with either ' or "."""
    # With both quotes in it, repr() quotes with ' and escapes ' (and everything else that needs it), not ".
    return repr(text + "'\"")[1:-4].replace('"', '\\"')


class TemplateCode:
    """The Python jinja2 generates for each template, made once and shared by every language's environment: parsing
    and generating are four fifths of compiling a template (0.08 of 0.1 s for a language's 17). Each interface word
    is a numbered placeholder in it, replaced by the language's translation, as folded, before Python compiles it.

    The Python is generated in an environment of its own where no filter or test runs while compiling (a filter like
    `word` or `date` is the language's): `{{ "x" | upper }}` is filtered on each page instead. A template whose
    placeholders do not all come out once each as they went in is compiled by each language as before."""

    def __init__(self) -> None:
        self._generated: dict[tuple[str | None, str], tuple[str, list[tuple[str, bool]]] | None] = {}
        self._environment: _InterfaceEnvironment | None = None

    def compiled(self, environment: _InterfaceEnvironment, source: str, name: str | None,
                 filename: str | None) -> CodeType | None:
        """The template compiled with `environment`'s words; None: compile it the usual way."""
        python = self.python(environment, source, name, filename)
        return None if python is None else environment._compile(python, filename or "<template>")

    def python(self, environment: _InterfaceEnvironment, source: str, name: str | None,
               filename: str | None = None) -> str | None:
        """The template's Python with `environment`'s words (what `environment.compile(…, raw=True)` gives, but for
        the way string literals are quoted); None when it is not shared."""
        key = (name, source)
        if key not in self._generated:
            self._generated[key] = self._generate(environment, source, name, filename)
        generated = self._generated[key]
        if generated is None:
            return None
        python, words = generated
        pieces = []
        for word, with_values in words:
            translated = _folded_word(environment.interface, word, with_values)
            if translated is None:
                return None  # left to the run time in this language (the folder keeps the call)
            pieces.append(_in_literal(translated))
        # A placeholder's "%" (a word with values) goes with it: it was there only while compiling.
        return _PLACEHOLDER_IN_CODE.sub(lambda m: pieces[int(m.group(1))], python)

    def _generate(self, like: _InterfaceEnvironment, source: str, name: str | None,
                  filename: str | None) -> tuple[str, list[tuple[str, bool]]] | None:
        environment = self._environment_like(like)
        environment.placeholders = []
        try:
            python = environment._generate(environment._parse(source, name, filename), name, filename)
        except jinja2.TemplateSyntaxError:
            return None  # compiled the usual way, which reports it as jinja2 does
        finally:
            words, environment.placeholders = environment.placeholders, None
        found = [(int(m.group(1)), bool(m.group(2))) for m in _PLACEHOLDER_IN_CODE.finditer(python)]
        if sorted(found) != [(i, with_values) for i, (_, with_values) in enumerate(words)] \
                or python.count("\\x00") != 2 * len(words):
            return None
        return python, words

    def _environment_like(self, like: _InterfaceEnvironment) -> _InterfaceEnvironment:
        if self._environment is None:
            environment = like.overlay()
            environment.template_code = None
            # Generated code names its filters and tests; only their pass_context-like marks are read while generating.
            environment.filters = {name: _not_while_compiling(f) for name, f in like.filters.items()}
            environment.tests = {name: _not_while_compiling(t) for name, t in like.tests.items()}
            self._environment = environment
        return self._environment


def _not_while_compiling(function):
    """A filter or test that jinja2's optimiser cannot run on constants (it fails, so the call is left in the code)."""
    def refuse(*args, **kwargs):
        raise RuntimeError("a filter is not run while a template is compiled")

    if hasattr(function, "jinja_pass_arg"):
        refuse.jinja_pass_arg = function.jinja_pass_arg
    return refuse


class _InterfaceBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates by language: each language's words are in its code, so its catalog is in the checksum."""

    def __init__(self, folder: str, language: Interface) -> None:
        super().__init__(folder)
        self.language_code = language.code
        self.words = digest(repr(sorted(language.messages.items())))

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.language_code}:{name}", filename)

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(f"{CODE_GENERATOR}\0{self.words}\0{source}")


def _environment(bytecode_folder: Path | None, language: Interface,
                 template_code: TemplateCode | None = None) -> jinja2.Environment:
    bytecode_cache = None
    if bytecode_folder is not None:
        try:
            bytecode_folder.mkdir(parents=True, exist_ok=True)
            bytecode_cache = _InterfaceBytecodeCache(str(bytecode_folder), language)  # checked against each source
        except OSError:
            bytecode_cache = None
    return _InterfaceEnvironment(
        language,
        template_code,
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=bytecode_cache,
        autoescape=True,
        extensions=["jinja2.ext.i18n"],  # {{ _("…") }}: the interface's words, from the language's catalog
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no stat() of every template for every page
    )
