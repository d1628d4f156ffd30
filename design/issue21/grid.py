import numpy as np, sys
import sim
from sim import llr, logmix
def variant(name):
    if name=='cur': return ([2*2**i for i in range(6)],[0.5**(i+1) for i in range(6)])
    if name=='sqrt2': return ([2*np.sqrt(2)**i for i in range(11)],[0.7**(i+1) for i in range(11)])
    if name=='flat': return ([2*2**i for i in range(6)],[1/6]*6)
def run(rng,rps,base,ratio,worse,ww,maxmin=120):
    sched=[(5,10),(10,10),(50,10)]; TOL=1.25
    step=0;t=0;ew=np.zeros(len(worse));sC=[0,0];sS=[0,0];pend=None;C=[0,0]
    for minute in range(1,maxmin+1):
        w=sched[min(step,2)][0]/100;n=rps*60
        nc=rng.poisson(n*w);ns=rng.poisson(n*(1-w))
        xc=rng.binomial(nc,min(1,base*ratio));xs=rng.binomial(ns,base)
        vis=pend;pend=(nc,xc,ns,xs)
        if vis: sC[0]+=vis[1];sC[1]+=vis[0];sS[0]+=vis[3];sS[1]+=vis[2]
        t+=1
        wl=[ew[i]+llr(sC[0],sC[1],sS[0],sS[1],worse[i],TOL) for i in range(len(worse))]
        if logmix(wl,ww)>=np.log(250): return minute
        if step<2 and t>=10: ew=np.array(wl);sC=[0,0];sS=[0,0];step+=1;t=0
    return None
R=int(sys.argv[1])
for case in [(10,5),(1,5),(10,2),(10,1.25)]:
    for v in ['cur','sqrt2','flat']:
        worse,ww=variant(v); rng=np.random.default_rng(7)
        out=[run(rng,case[0],0.005,case[1],worse,ww) for _ in range(R)]
        d=[m for m in out if m is not None]
        print(case,v,f"rb {len(d)/R:.1%}", np.median(d) if d else None, np.percentile(d,95) if d else None, flush=True)
