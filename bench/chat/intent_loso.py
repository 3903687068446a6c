"""Leave-one-set-out for the learned intent model (`intent_train.py --loso`): where unseen errors come from.

For each evaluation set, train on every row but that set's and score that set:
- `pure`: the learned model alone (its most probable intent among all);
- `hybrid`: as the chat uses it (`chat.understanding.classify` with the fold's model in place of the shipped one);
- `rules`: the word rules alone (`CHAT_LEARNED_INTENTS=0`).
With `hybrid`, every error is put down to its cause: the model alone wrong and the rules left it (`model`), a rule
overruling a right model (`rule broke`, by detector), and the other way round a rule fixing a wrong model (`rule
fixed`, by detector). Without cost of training again, it also scores (`--lab`):
- `floor@f`: the shipped path with the learned model deciding from probability f (`LEARNED_FLOOR`, shipped 0.5);
- `refused@r`: the shipped path with a question its words refuse an intent for taken for that intent from the model's
  probability r (`REFUSED_SURE`, shipped 0.9; 1.1: never);
- `gate@t`: the rules' answer only where the model is unsure (its top probability below t), the model's otherwise;
- `knn k/a`: the softmax blended with a vote of the k nearest training sentences (cosine of the fold's vectors,
  weighted by similarity): (1 - a) · model + a · vote, the model alone.
`--fits name=option,...`: more models per fold (`c=10`, `balanced` class weights, `ngram=0.5`, `drop=train_blind23`:
without a training-only file), each scored the same.
Totals are given over all sets and over all but the newest (`SETS[-1]`): the rules were written after reading every
set's errors but the newest's, so only the newest is unseen by them.
"""

from __future__ import annotations

import collections
import contextlib

import numpy as np

GATES = (0.6, 0.7, 0.8, 0.9, 0.95)
FLOORS = (0.3, 0.4, 0.6)  # the learned model's floor tried in the shipped path (shipped: 0.5)
# The refused-intent rule's bar tried in the shipped path (`understanding_learned.REFUSED_SURE`, shipped 0.9; above 1: off)
REFUSED = (0.7, 0.8, 1.1)
KNN = ((5, 0.2), (5, 0.35), (10, 0.2), (10, 0.35), (10, 0.5), (20, 0.35))


def _base(detector: str) -> str:
    return detector.split(" ", 1)[0]


class Lab:
    def __init__(self, trainer, sets, variants, errors: bool, lab: bool, fits: dict[str, dict]):
        self.t, self.sets, self.variants, self.errors, self.lab = trainer, sets, variants, errors, lab
        self.fits = {"shipped": {}, **fits}
        self.totals: dict[str, list] = collections.defaultdict(list)  # variant → [(set, want, got, language, text)]
        self.causes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.cause_rows: dict[str, list] = collections.defaultdict(list)

    def run(self, rows, encoded, available, intents) -> None:
        for name in self.sets:
            training = [row for row in rows if row[0] != name]
            held = self.t.scored(name)
            for label, options in self.fits.items():
                rows_used = [row for row in training if row[0] != options.get("drop")]
                with self._options(options):
                    models = self.t.train_all(rows_used, encoded, options.get("c", self.t.C), options.get("weight"))
                self.fold(name, label, models, rows_used, held, encoded, available, intents, options)
        self.report()

    @contextlib.contextmanager
    def _options(self, options):
        from chat.engine import learned

        old = learned.NGRAM_WEIGHT
        learned.NGRAM_WEIGHT = options.get("ngram", old)
        try:
            yield
        finally:
            learned.NGRAM_WEIGHT = old

    def fold(self, name, label, models, training, held, encoded, available, intents, options) -> None:
        from chat.engine import learned
        from chat.understanding import classify

        prefix = "" if label == "shipped" else f"{label}:"
        probabilities = {}
        with self._options(options):
            for _s, _i, _l, text in held:
                space = encoded.space[text]
                vector = encoded.vector(space, text)
                probabilities[text] = models[space].probabilities(self.t.plain(text), vector, intents)
        pure = [(i, max(probabilities[t].items(), key=lambda kv: kv[1])[0], lang, t) for _s, i, lang, t in held]
        results = {}
        if "pure" in self.variants:
            results[prefix + "pure"] = pure
        answers = {}
        if "hybrid" in self.variants:
            learned.use_models(models)
            try:
                with self._options(options):
                    answers = {t: classify(t, available=available) for _s, _i, _l, t in held}
                    floors = self._floors(held, available) if self.lab and label == "shipped" else {}
            finally:
                learned.use_models(None)
            results[prefix + "hybrid"] = [(i, answers[t].intent, lang, t) for _s, i, lang, t in held]
            if label == "shipped":
                self._causes(name, held, pure, answers)
            results.update(floors)
            if self.lab:
                for gate in GATES:
                    got = []
                    for (want, model, lang, t), (_s, _i, _l, _t) in zip(pure, held, strict=True):
                        sure = max(probabilities[t].values()) >= gate
                        got.append((want, model if sure else answers[t].intent, lang, t))
                    results[f"{prefix}gate@{gate}"] = got
        if "rules" in self.variants and label == "shipped":
            from django.test import override_settings

            with override_settings(CHAT_LEARNED_INTENTS=False):
                results["rules"] = [(i, classify(t, available=available).intent, lang, t) for _s, i, lang, t in held]
        if self.lab:
            for k, a in KNN:
                results[f"{prefix}knn{k}/{a}"] = self._knn(k, a, held, probabilities, training, encoded)
        for variant, got in results.items():
            ok = sum(want == answer for want, answer, _l, _t in got)
            print(f"{name:6} {variant:22} {ok / len(got):.3f} ({ok}/{len(got)})", flush=True)
            self.totals[variant].extend((name, *row) for row in got)
            if self.errors and variant in ("pure", "hybrid"):
                for want, answer, language, text in got:
                    if want != answer:
                        how = f" ({answers[text].detector} {answers[text].confidence:.2f})" if answers else ""
                        print(f"  {variant:6} want {want:9} got {answer:9}{how} [{language}] {text}")

    def _floors(self, held, available) -> dict[str, list]:
        """The shipped path with the learned model's floor (`understanding_learned.LEARNED_FLOOR`) at each of `FLOORS`,
        and with the refused-intent rule's bar (`REFUSED_SURE`) at each of `REFUSED` (the fold's model still in place)."""
        from chat import understanding_learned
        from chat.understanding import classify

        results, shipped, sure = {}, understanding_learned.LEARNED_FLOOR, understanding_learned.REFUSED_SURE
        try:
            for floor in FLOORS:
                understanding_learned.LEARNED_FLOOR = floor
                results[f"floor@{floor}"] = [
                    (i, classify(t, available=available).intent, lang, t) for _s, i, lang, t in held
                ]
            understanding_learned.LEARNED_FLOOR = shipped
            for bar in REFUSED:
                understanding_learned.REFUSED_SURE = bar
                results[f"refused@{bar}"] = [
                    (i, classify(t, available=available).intent, lang, t) for _s, i, lang, t in held
                ]
        finally:
            understanding_learned.LEARNED_FLOOR, understanding_learned.REFUSED_SURE = shipped, sure
        return results

    def _knn(self, k, a, held, probabilities, training, encoded):
        memory = {}
        for space in ("use", "en"):
            chosen = [row for row in training if space == "use" or row[2] == self.t.ENGLISH]
            memory[space] = (np.stack([encoded.vector(space, row[3]) for row in chosen]), [row[1] for row in chosen])
        got = []
        for _s, want, language, text in held:
            space = encoded.space[text]
            vectors, labels = memory[space]
            similarity = vectors @ encoded.vector(space, text)
            top = np.argsort(-similarity)[:k]
            vote = collections.Counter()
            for index in top:
                vote[labels[index]] += max(float(similarity[index]), 0.0)
            total = sum(vote.values()) or 1.0
            model = probabilities[text]
            blended = {i: (1 - a) * p + a * vote.get(i, 0.0) / total for i, p in model.items()}
            got.append((want, max(blended.items(), key=lambda kv: kv[1])[0], language, text))
        return got

    def _causes(self, name, held, pure, answers) -> None:
        for (_s, want, language, text), (_w, model, _l, _t) in zip(held, pure, strict=True):
            answer = answers[text]
            detector = _base(answer.detector)
            rule = not answer.detector.startswith("learned") or "+" in answer.detector
            if answer.intent == want and model != want:
                cause = f"rule fixed ({answer.detector})" if rule else "model right at last"
            elif answer.intent != want and model == want:
                cause = f"rule broke ({answer.detector})"
            elif answer.intent != want:
                cause = f"model wrong, rule kept it ({answer.detector})" if rule else "model wrong"
            else:
                continue
            self.causes[name][cause] += 1
            self.cause_rows[cause].append((name, want, model, answer.intent, detector, language, text))

    def report(self) -> None:
        newest = self.sets[-1]
        print("\n== totals (all sets | all but the newest, " + newest + ")")
        for variant, got in self.totals.items():
            ok = sum(want == answer for _n, want, answer, _l, _t in got)
            older = [row for row in got if row[0] != newest]
            ok_older = sum(want == answer for _n, want, answer, _l, _t in older)
            by_intent = collections.defaultdict(list)
            for _n, want, answer, _l, _t in older:
                by_intent[want].append(want == answer)
            worst = min(by_intent.items(), key=lambda kv: sum(kv[1]) / len(kv[1]), default=("-", [0]))
            print(f"{variant:22} all {ok / len(got):.4f} ({ok}/{len(got)})  older {ok_older / max(len(older), 1):.4f} "
                  f"({ok_older}/{max(len(older), 1)})  worst intent (older) {worst[0]} "
                  f"{sum(worst[1]) / len(worst[1]):.3f}")  # fmt: skip
        if not self.causes:
            return
        print("\n== causes of the hybrid's errors and fixes, per fold and summed")
        summed = collections.Counter()
        for counter in self.causes.values():
            summed.update(counter)
        for cause, count in summed.most_common():
            newest_count = self.causes[newest][cause]
            print(f"  {count:4}  (newest {newest_count:3})  {cause}")
        if self.errors:
            print("\n== rows by cause")
            for cause, rows in sorted(self.cause_rows.items()):
                print(f"-- {cause}")
                for name, want, model, answer, _d, language, text in rows:
                    print(f"  {name:6} want {want:9} model {model:9} shipped {answer:9} [{language}] {text}")
